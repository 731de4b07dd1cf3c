// main-thread CPU and wake-ups per run of 200 x 5 ms tasks on 2 threads
import fs from 'node:fs';
import { ThreadPoolExecutor } from '@futures/worker-threads';
import { defineTasks } from '@futures/core';
import Piscina from 'piscina';
import { FixedThreadPool } from 'poolifier';
const SPIN_ITERATIONS = 2_600_000;
const which = process.argv[2];
const wf = (n) => new URL(`../threads/workers/${n}`, import.meta.url).pathname;
const tasks = defineTasks(new URL('../threads/workers/tasks.mjs', import.meta.url));
let call, close;
if (which === 'ours') { const ex = new ThreadPoolExecutor({ maxWorkers: 2, minWorkers: 2, execArgv: [] }); call = () => ex.submit(tasks.spin, SPIN_ITERATIONS); close = () => ex.shutdown(); }
if (which === 'piscina') { const p = new Piscina({ filename: wf('piscina.mjs'), minThreads: 2, maxThreads: 2, execArgv: [] }); call = () => p.run(SPIN_ITERATIONS, { name: 'spin' }); close = () => p.destroy(); }
if (which === 'poolifier') { const p = new FixedThreadPool(2, wf('poolifier.mjs'), { workerOptions: { execArgv: [] } }); call = () => p.execute(SPIN_ITERATIONS, 'spin'); close = () => p.destroy(); }
const stat = () => { const s = fs.readFileSync(`/proc/self/task/${process.pid}/status`, 'utf8'); return [Number(fs.readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6, Number(/voluntary_ctxt_switches:\s+(\d+)/.exec(s)[1])]; };
const run = () => Promise.all(Array.from({ length: 200 }, call));
await run(); await run();
const rows = [];
for (let r = 0; r < (Number(process.env.R) || 5); r++) {
  globalThis.gc?.();
  const [c0, v0] = stat(); const t0 = performance.now();
  await run();
  const t = performance.now() - t0; const [c1, v1] = stat();
  rows.push(`${t.toFixed(0)}ms/${(c1 - c0).toFixed(1)}cpu/${v1 - v0}w`);
}
console.log(which.padEnd(10), rows.join(' '));
await close();
