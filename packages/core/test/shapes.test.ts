/**
 * Core keeps one inert instance of each hot-path class for the life of the program, so that V8
 * keeps their shapes and optimized code across full GCs (src/shapes.ts). What it keeps must hold
 * nothing of the user's: no executor, no task, no argument, no result.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { Executor, baseConfig, type BatchReport, type ExecutorCapabilities, type RunningTask, type TaskFunction } from '../src/index.js';
import { macrotask } from './helpers.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Runs batches in this thread, one call after another: `map` sends chunks to it. */
class InlineBatches extends Executor {
  readonly capabilities: ExecutorCapabilities = { plainFunctions: true, stopRunning: 'forced', sameObjects: true };

  constructor() {
    super(baseConfig('InlineBatches', undefined, { maxWorkers: 2 }));
  }

  protected override get maxBatchSize(): number {
    return 64;
  }

  protected runTask(running: RunningTask): unknown {
    return (running.task as TaskFunction).apply(running.context, running.args as unknown[]);
  }

  protected override async runBatch(batch: readonly RunningTask[], report: BatchReport): Promise<void> {
    await macrotask();
    batch.forEach((running, i) => report(i, false, (running.task as TaskFunction).apply(running.context, running.args as unknown[])));
  }
}

/** Maps and submits on a fresh executor, shuts it down, and returns weak references to what the user handed over and got back. */
async function runAndLetGo(): Promise<WeakRef<object>[]> {
  const executor = new InlineBatches();
  const task = (item: { n: number }): { n: number } => ({ n: item.n + 1 });
  const items = Array.from({ length: 100 }, (_, n) => ({ n }));
  const results: { n: number }[] = [];
  for await (const result of executor.map(task, items, { chunksize: 10 })) results.push(result);
  const single = await executor.submit(task, { n: -1 });
  await executor.shutdown();
  expect(results.map((result) => result.n)).toEqual(items.map((item) => item.n + 1));
  return [executor, task, items[0] as object, results[0] as object, single].map((target) => new WeakRef(target));
}

describe('kept shapes', () => {
  it('keep nothing of a finished map or of its executor alive', async () => {
    const refs = await runAndLetGo();
    // A WeakRef's target stays alive until the current job ends: collect after a turn of the event loop.
    await macrotask();
    gc();
    await macrotask();
    gc();
    expect(refs.map((ref) => ref.deref())).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });
});
