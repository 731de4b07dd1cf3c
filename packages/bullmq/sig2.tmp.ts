import { AsyncExecutor } from '@futures/async';
import { taskRef } from '@futures/core';
const ref = taskRef(new URL('../test-suite/src/tasks.ts', import.meta.url), 'square');
const ex = new AsyncExecutor({ maxWorkers: 16 });
await ex.submit(ref, 1);
const n = 200_000;
const batch: Promise<unknown>[] = [];
for (let i = 0; i < n; i++) { batch.push(ex.submitWith({ signal: new AbortController().signal }, ref, i) as unknown as Promise<unknown>); if (batch.length >= 16) { await Promise.all(batch); batch.length = 0; } }
await ex.shutdown();
