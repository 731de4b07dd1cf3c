/**
 * Runs the `futures` command: for real, from the TypeScript sources through tsx (`futures`), or
 * in this process through `main` with captured streams and a given environment (`runMain`).
 */
import { spawn } from 'node:child_process';
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
export function futures(args: readonly string[], onStderr?: (text: string) => boolean, env?: Readonly<Record<string, string>>): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=@futures/source', '--import', 'tsx', 'src/bin.ts', ...args], {
      cwd: packageDir,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(env === undefined ? {} : { env: { ...process.env, ...env } }),
    });
    let stdout = '';
    let stderr = '';
    let signalled = false;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (!signalled && onStderr?.(stderr)) {
        signalled = true;
        child.kill('SIGINT');
      }
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
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
