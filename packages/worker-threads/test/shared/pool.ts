/**
 * A tiny pool of real worker threads for the shared-primitive tests: each worker runs
 * fixtures/worker.mjs, which loads fixtures/tasks.ts through tsx. Tasks go round-robin; the
 * arguments and results cross with toTransferable / fromTransferable, as in the executor.
 */

import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { fromTransferable, toTransferable } from '../../src/shared/index.js';
import type * as Tasks from './fixtures/tasks.ts';

type TaskName = keyof typeof Tasks;
type TaskFn<K extends TaskName> = (typeof Tasks)[K] extends (...args: infer A) => infer R ? (...args: A) => R : never;

/** A started pool; `close()` terminates every worker. */
export interface TestPool {
  readonly size: number;
  /** Runs task `name` on the next worker (round-robin). */
  run<K extends TaskName>(name: K, ...args: Parameters<TaskFn<K>>): Promise<Awaited<ReturnType<TaskFn<K>>>>;
  /** Runs task `name` on worker number `index`. */
  runOn<K extends TaskName>(index: number, name: K, ...args: Parameters<TaskFn<K>>): Promise<Awaited<ReturnType<TaskFn<K>>>>;
  close(): Promise<void>;
}

interface Reply {
  readonly id?: number;
  readonly ready?: boolean;
  readonly ok?: boolean;
  readonly result?: unknown;
  readonly error?: { readonly name: string; readonly code?: string; readonly message: string };
}

const workerData = {
  tasks: new URL('./fixtures/tasks.ts', import.meta.url).href,
  shared: new URL('../../src/shared/index.ts', import.meta.url).href,
};

/** Starts `size` workers and waits until each has loaded the tasks (bounded by `startTimeout` ms). */
export async function startPool(size: number, startTimeout = 10_000): Promise<TestPool> {
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  let nextWorker = 0;
  const workers = Array.from({ length: size }, () => new Worker(fileURLToPath(new URL('./fixtures/worker.mjs', import.meta.url)), {
    workerData,
    execArgv: ['--conditions=@futures/source'],
  }));
  const failAll = (error: Error): void => {
    for (const waiter of pending.values()) waiter.reject(error);
    pending.clear();
  };
  const ready = workers.map((worker) => new Promise<void>((resolve, reject) => {
    worker.on('error', (error) => {
      reject(error);
      failAll(error);
    });
    worker.on('exit', (code) => failAll(new Error(`a test worker exited with code ${code}`)));
    worker.on('message', (reply: Reply) => {
      if (reply.ready) return resolve();
      const waiter = pending.get(reply.id!);
      pending.delete(reply.id!);
      if (reply.ok) waiter?.resolve(fromTransferable(reply.result));
      else waiter?.reject(Object.assign(new Error(reply.error!.message), { name: reply.error!.name, code: reply.error!.code }));
    });
  }));
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      Promise.all(ready),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`workers not ready within ${startTimeout}ms`)), startTimeout))),
    ]);
  } finally {
    clearTimeout(timer);
  }
  const runOn = (index: number, name: string, ...args: unknown[]): Promise<any> => {
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      workers[index % size]!.postMessage({ id, name, args: toTransferable(args) });
    });
  };
  return {
    size,
    run: (name, ...args) => runOn(nextWorker++ % size, name, ...args),
    runOn: (index, name, ...args) => runOn(index, name, ...args),
    async close() {
      failAll(new Error('pool closed'));
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}

/** Resolves once `condition()` is true, checking every few ms; rejects after `timeout` ms. */
export async function until(condition: () => boolean, timeout = 5000, what = 'condition'): Promise<void> {
  const deadline = performance.now() + timeout;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`${what} not met within ${timeout}ms`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
