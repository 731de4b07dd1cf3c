/**
 * Child process of the map-memory scenario (started by map-memory.ts, one fresh process per
 * mode): runs `executor.map` over ITEMS items and reports memory samples to the parent.
 *
 *   --mode=buffered    endless lazy generator, map(…, { buffersize }), stop after ITEMS results
 *   --mode=unbuffered  the same ITEMS items from a finite generator, map without buffersize
 *                      (everything is submitted at once)
 */
import { AsyncExecutor } from '@futures/async';
import { parseArgs } from '../lib/args.js';
import { reportToParent } from '../lib/child.js';
import { endless, range, sumBelow } from '../lib/drivers.js';
import { collectGarbage } from '../lib/gc.js';
import { MemoryTracker, type MemorySample } from '../lib/memory.js';
import { CONCURRENCY, trivialTask } from './common.js';

/** What the child reports. */
export interface MapMemoryReport {
  readonly mode: 'buffered' | 'unbuffered';
  readonly items: number;
  readonly buffersize: number | undefined;
  readonly samples: readonly MemorySample[];
  readonly peakRss: number;
  readonly peakHeapUsed: number;
  /** The OS's peak RSS of the whole child process. */
  readonly maxRss: number;
  readonly ms: number;
}

const args = parseArgs();
const mode = args.rest.get('mode');
if (mode !== 'buffered' && mode !== 'unbuffered') throw new Error('--mode=buffered|unbuffered is required');
const items = Number(args.rest.get('items') ?? 1_000_000);
const sampleEvery = Number(args.rest.get('sample-every') ?? 100_000);
const buffersize = mode === 'buffered' ? Number(args.rest.get('buffersize') ?? 1000) : undefined;
const pollEvery = Math.max(1, Math.floor(sampleEvery / 10));

collectGarbage();
const tracker = new MemoryTracker();
tracker.sample('start', { live: true });
const start = performance.now();
const executor = new AsyncExecutor({ maxWorkers: CONCURRENCY });
const results =
  buffersize === undefined ? executor.map(trivialTask, range(items)) : executor.map(trivialTask, endless(), { buffersize });
tracker.sample('map() returned', { live: true });
let count = 0;
let sum = 0;
for await (const value of results) {
  sum += value;
  count++;
  if (count % pollEvery === 0) tracker.poll();
  if (count % sampleEvery === 0) tracker.sample(count.toLocaleString('en-US'), { live: true });
  if (count === items) break; // the endless input: stop (and cancel what is in flight) after `items` results
}
await executor.shutdown();
const ms = performance.now() - start - tracker.gcMs; // without the forced GCs of the samples
if (count !== items || sum !== sumBelow(items)) throw new Error(`map-memory ${mode}: got ${count} results summing to ${sum}`);

const report: MapMemoryReport = {
  mode,
  items,
  buffersize,
  samples: tracker.samples,
  peakRss: tracker.peakRss,
  peakHeapUsed: tracker.peakHeapUsed,
  maxRss: MemoryTracker.maxRss(),
  ms,
};
await reportToParent(report);
