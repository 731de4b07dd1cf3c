import { AsyncExecutor } from '@futures/async';
import { taskRef } from '@futures/core';
const ref = taskRef(new URL('../test-suite/src/tasks.ts', import.meta.url), 'square');
const ex = new AsyncExecutor({ maxWorkers: 16 });
await ex.submit(ref, 1);
async function run(label: string, make: (i: number) => Promise<unknown>) {
  for (let round = 0; round < 3; round++) {
    const n = 50_000;
    const t0 = performance.now();
    const batch: Promise<unknown>[] = [];
    for (let i = 0; i < n; i++) { batch.push(make(i)); if (batch.length >= 16) { await Promise.all(batch); batch.length = 0; } }
    await Promise.all(batch);
    const us = ((performance.now() - t0) * 1000) / n;
    if (round === 2) console.log(label, us.toFixed(2), 'µs/task');
  }
}
await run('plain', (i) => ex.submit(ref, i) as unknown as Promise<unknown>);
await run('controller only', (i) => { new AbortController(); return ex.submit(ref, i) as unknown as Promise<unknown>; });
await run('with signal', (i) => ex.submitWith({ signal: new AbortController().signal }, ref, i) as unknown as Promise<unknown>);
await ex.shutdown();
