/**
 * What a subcommand of `futures` is: a module in `commands/` exporting `run(argv, io)`, loaded
 * only when its name is typed (so `futures thumbnails` never loads another recipe's libraries).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Where a command reads and writes: the process's streams, or test doubles. */
export interface CommandIO {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** Environment variables (e.g. `NO_COLOR`, `CI`). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /**
   * Subscribes to interrupt requests (Ctrl-C); returns the unsubscribe function. The CLI wires
   * it to SIGINT/SIGTERM.
   */
  onInterrupt(listener: () => void): () => void;
}

/** A subcommand module's shape. */
export interface CommandModule {
  /** Runs the command with its own arguments; resolves to the exit code. */
  run(argv: readonly string[], io: CommandIO): Promise<number>;
}

/** One entry of the command table. */
export interface CommandEntry {
  /** One line for `futures --help`. */
  readonly summary: string;
  /** Loads the command's module. */
  readonly load: () => Promise<CommandModule>;
}

/** Exit codes shared by every command. */
export const EXIT = {
  /** Everything done. */
  ok: 0,
  /** The run ended, but some items failed. */
  someFailed: 1,
  /** Bad usage: unknown flag, bad value, missing argument. */
  usage: 2,
  /** Stopped by Ctrl-C (128 + SIGINT). */
  interrupted: 130,
} as const;

/** A usage mistake: printed with a pointer to `--help`, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * Parses a command's arguments strictly (`node:util` `parseArgs`, positionals allowed); an
 * unknown flag or a missing value is a {@link UsageError}.
 */
export function parseCommandArgs<O extends NonNullable<ParseArgsConfig['options']>>(argv: readonly string[], options: O): ParsedArgs<O> {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** What {@link parseCommandArgs} returns for the flags `O`. */
export type ParsedArgs<O extends NonNullable<ParseArgsConfig['options']>> = ReturnType<typeof parseArgs<{ options: O; allowPositionals: true }>>;
