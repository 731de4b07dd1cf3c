import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { DistributedExecutor, startWorker, type DistributedExecutorOptions, type DistributedWorker, type WorkerOptions } from '../src/index.ts';

/** The real Redis of this test run (see global-setup.ts). */
export const redisUrl = (): string => inject('redisUrl');

/** A queue name no other test uses. */
export const freshQueue = (label = 'q'): string => `${label}-${randomBytes(4).toString('hex')}`;

/** A DistributedExecutor on the test Redis. */
export function executorOn(queue: string, options: DistributedExecutorOptions = {}): DistributedExecutor {
  return new DistributedExecutor({ connection: redisUrl(), queue, ...options });
}

/** A worker in this process on the test Redis. */
export function workerOn(queue: string, options: WorkerOptions = {}): Promise<DistributedWorker> {
  return startWorker({ connection: redisUrl(), queue, ...options });
}

/** Resolves once `check()` is true (polling every 10 ms), or fails after `ms`. */
export async function until(check: () => boolean | Promise<boolean>, ms = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
