/**
 * How a fresh process's `map` warms up, run by run, next to Python's: the cold side of
 * scenario (2), whose table times warm runs. Starts a ProcessPoolExecutor (2 children), maps
 * 5,000 items once (the old single warm-up run), then times `--runs` maps of 50,000 items with
 * chunksize 1,000, a full GC before each; then Python's ProcessPoolExecutor the same way
 * (`pool.py map`). Prints each run's milliseconds, in order.
 *
 *   npx tsx --expose-gc processes/map-warmup.ts [--runs=10]
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from '../lib/args.js';
import { collectGarbage } from '../lib/gc.js';
import { CHUNKSIZES, WORKERS } from './common.js';
import { createProcessPool, mapIncSum } from './pools.js';
import { PYTHON } from './python.js';

const ITEMS = 50_000;
const chunksize = CHUNKSIZES[CHUNKSIZES.length - 1] as number;
const runs = parseArgs().runs ?? 10;

const executor = createProcessPool();
const mapSum = (n: number): Promise<number> => mapIncSum(executor, n, chunksize);
await mapSum(ITEMS / 10);
const ours: number[] = [];
for (let r = 0; r < runs; r++) {
  collectGarbage();
  const start = performance.now();
  await mapSum(ITEMS);
  ours.push(performance.now() - start);
}
await executor.shutdown();

const script = fileURLToPath(new URL('./pool.py', import.meta.url));
const answer = JSON.parse(
  execFileSync(PYTHON, [script, 'map', '--tasks', String(ITEMS), '--runs', String(runs), '--workers', String(WORKERS), '--chunksize', String(chunksize)], { encoding: 'utf8' }),
) as { runs: { seconds: number }[] };
const python = answer.runs.map((run) => run.seconds * 1000);

const line = (values: number[]): string => values.map((ms) => ms.toFixed(0).padStart(4)).join(' ');
console.log(`map of ${ITEMS.toLocaleString('en-US')} items, chunksize ${chunksize}, ${WORKERS} children: ms per run, first run first`);
console.log(`ProcessPoolExecutor (after one map of ${(ITEMS / 10).toLocaleString('en-US')}): ${line(ours)}`);
console.log(`Python ProcessPoolExecutor:                 ${line(python)}`);
