/**
 * Runs the `futures` command: for real, from the TypeScript sources through tsx (`futures`, or
 * `startFutures` for a command that runs until stopped), or in this process through `main` with
 * captured streams and a given environment (`runMain`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { CommandIO } from '../src/command.ts';
import { main } from '../src/main.ts';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

/** What a run of the command gave. */
export interface Result {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `futures ...args`; `onStderr` sees stderr as it comes and may return true to send SIGINT
 * (once); `env` is added to this process's environment.
 */
export async function futures(args: readonly string[], onStderr?: (text: string) => boolean, env?: Readonly<Record<string, string>>): Promise<Result> {
  const cli = startFutures(args, env);
  if (onStderr !== undefined) {
    let signalled = false;
    // Registered after startFutures' own listener, so cli.stderr() already holds this chunk.
    cli.child.stderr?.on('data', () => {
      if (!signalled && onStderr(cli.stderr())) {
        signalled = true;
        cli.child.kill('SIGINT');
      }
    });
  }
  const { code, stdout, stderr } = await cli.exited;
  return { code, stdout, stderr };
}

/** A `futures` process started by {@link startFutures}, to watch and signal while it runs. */
export interface RunningCli {
  readonly child: ChildProcess;
  /** What it wrote so far. */
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** Resolves once stderr matches `pattern` (rejects if it exits first, or after `ms`). */
  waitForStderr(pattern: RegExp, ms?: number): Promise<void>;
  /** Resolves with the exit code and all output once it has exited. */
  readonly exited: Promise<Result & { readonly signal: NodeJS.Signals | null }>;
}

/**
 * Starts `futures ...args` (from the sources, through tsx) and returns at once: for commands
 * that run until stopped (`futures worker`). `env` is added to this process's environment.
 */
export function startFutures(args: readonly string[], env?: Readonly<Record<string, string>>): RunningCli {
  const child = spawn(process.execPath, ['--conditions=@futures/source', '--import', 'tsx', 'src/bin.ts', ...args], {
    cwd: packageDir,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(env === undefined ? {} : { env: { ...process.env, ...env } }),
  });
  let stdout = '';
  let stderr = '';
  const watchers = new Set<() => void>();
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    for (const watcher of watchers) watcher();
  });
  const exited = new Promise<Result & { signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  let ended = false;
  void exited.finally(() => {
    ended = true;
    for (const watcher of watchers) watcher();
  }).catch(() => undefined);
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    waitForStderr: (pattern, ms = 15_000) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => done(new Error(`no ${pattern} on stderr within ${ms} ms; stderr so far:\n${stderr}`)), ms);
        const done = (error?: Error): void => {
          clearTimeout(timer);
          watchers.delete(check);
          if (error === undefined) resolve();
          else reject(error);
        };
        const check = (): void => {
          if (pattern.test(stderr)) done();
          else if (ended) done(new Error(`futures exited before ${pattern} appeared on stderr; stderr:\n${stderr}`));
        };
        watchers.add(check);
        check();
      }),
  };
}

/** How {@link runMain} runs the command. */
export interface InProcessOptions {
  /** The command's whole environment (`CommandIO.env`). @default {} */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Makes stderr look like a terminal (`isTTY`, 120 columns). */
  readonly tty?: boolean;
  /** Sees stderr as it comes; returning true interrupts the command (as Ctrl-C does), once. */
  readonly onStderr?: (text: string) => boolean;
}

/** A stream that keeps what is written to it. */
function capture(onWrite?: (text: string) => void): Writable & { text: string; isTTY?: boolean; columns?: number } {
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      stream.text += chunk.toString();
      onWrite?.(stream.text);
      callback();
    },
  }) as Writable & { text: string };
  stream.text = '';
  return stream;
}

/** Runs `futures ...args` in this process (`main` with captured streams), as bin.ts does with the real ones. */
export async function runMain(args: readonly string[], options: InProcessOptions = {}): Promise<Result> {
  const listeners = new Set<() => void>();
  let interrupted = false;
  const stdout = capture();
  const stderr = capture((text) => {
    if (!interrupted && options.onStderr?.(text) === true) {
      interrupted = true;
      queueMicrotask(() => listeners.forEach((listener) => listener()));
    }
  });
  if (options.tty === true) Object.assign(stderr, { isTTY: true, columns: 120 });
  const io: CommandIO = {
    stdout,
    stderr,
    env: options.env ?? {},
    onInterrupt(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  let code: number;
  try {
    code = await main(args, io);
  } catch (error) {
    stderr.write(`futures: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    code = 1;
  }
  return { code, stdout: stdout.text, stderr: stderr.text };
}
