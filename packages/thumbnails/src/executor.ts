/**
 * The executor `makeThumbnails` uses when none is given: a `ThreadPoolExecutor` when
 * @futures/worker-threads is installed (an optional peer dependency), else an `AsyncExecutor`.
 * Both run one image per worker at once, with {@link defaultConcurrency} workers.
 */
import { availableParallelism } from 'node:os';
import type { Executor } from '@futures/core';

/**
 * Images in progress at once by default: one and a half per core (3 on 2 cores). Each image runs
 * on one libvips thread (the default `libvipsThreads`) and spends part of its time reading and
 * writing files; the extra half keeps the cores busy meanwhile. See the README's "Tuning" section
 * for the measurement behind it.
 */
export function defaultConcurrency(): number {
  const cores = availableParallelism();
  return cores + Math.ceil(cores / 2);
}

/** Creates the default executor with `workers` workers. */
export async function createDefaultExecutor(workers: number): Promise<Executor> {
  const threads = await optionalImport<typeof import('@futures/worker-threads')>('@futures/worker-threads');
  if (threads !== undefined) return new threads.ThreadPoolExecutor({ maxWorkers: workers, idleTimeout: 1_000 });
  const { AsyncExecutor } = await import('@futures/async');
  return new AsyncExecutor({ maxWorkers: workers });
}

/** Imports `specifier`, or gives `undefined` when that package is not installed (any other error is thrown). */
async function optionalImport<M>(specifier: string): Promise<M | undefined> {
  try {
    return (await import(specifier)) as M;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if ((code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && String((error as Error).message).includes(specifier)) return undefined;
    throw error;
  }
}
