/**
 * Runs a bench module in a fresh node process and returns the value it reports: for
 * measurements (peak memory) that must not be skewed by what ran before in this process.
 * The child inherits this process's node flags (the tsx loader, `--expose-gc`).
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * A bench child that runs longer than this is killed and reported: a library that never settles
 * a task (it happened: poolifier 5.3.2's FixedClusterPool with an .mjs worker) must not hang the
 * whole bench. `BENCH_CHILD_TIMEOUT_MS` overrides it.
 */
const CHILD_TIMEOUT_MS = Number(process.env.BENCH_CHILD_TIMEOUT_MS ?? 5 * 60_000);

/** Starts `module` with `args`, resolves to the first message it sends with {@link reportToParent}. */
export function runInChild<T>(module: URL, args: readonly string[]): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const child = fork(fileURLToPath(module), [...args], { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let result: { value: T } | undefined;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, CHILD_TIMEOUT_MS);
    child.once('message', (message) => {
      result = { value: message as T };
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      const what = `bench child ${fileURLToPath(module)} ${args.join(' ')}`;
      if (timedOut) reject(new Error(`${what} did not finish within ${CHILD_TIMEOUT_MS / 1000} s and was killed (BENCH_CHILD_TIMEOUT_MS sets the limit)`));
      else if (result !== undefined && code === 0) resolve(result.value);
      else reject(new Error(`${what} exited with ${signal ?? `code ${code}`} before reporting`));
    });
  });
}

/** True when this process was started by {@link runInChild}. */
export function isChild(): boolean {
  return typeof process.send === 'function';
}

/** Sends `value` to the parent (from a module started by {@link runInChild}), then lets the process exit. */
export function reportToParent(value: unknown): Promise<void> {
  return new Promise((resolve, reject) => {
    if (process.send === undefined) {
      reject(new Error('reportToParent: not started by runInChild'));
      return;
    }
    process.send(value, (error: Error | null) => {
      if (error) reject(error);
      else {
        process.disconnect?.();
        resolve();
      }
    });
  });
}
