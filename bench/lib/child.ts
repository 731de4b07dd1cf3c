/**
 * Runs a bench module in a fresh node process and returns the value it reports: for
 * measurements (peak memory) that must not be skewed by what ran before in this process.
 * The child inherits this process's node flags (the tsx loader, `--expose-gc`).
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Starts `module` with `args`, resolves to the first message it sends with {@link reportToParent}. */
export function runInChild<T>(module: URL, args: readonly string[]): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const child = fork(fileURLToPath(module), [...args], { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let result: { value: T } | undefined;
    child.once('message', (message) => {
      result = { value: message as T };
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (result !== undefined && code === 0) resolve(result.value);
      else reject(new Error(`bench child ${fileURLToPath(module)} ${args.join(' ')} exited with ${signal ?? `code ${code}`} before reporting`));
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
