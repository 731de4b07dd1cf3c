/**
 * `thumbnails.tune`: the measurement behind @futures/thumbnails' defaults. makeThumbnails on a
 * ThreadPoolExecutor, for workers (images at once) × libvips threads per image.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeThumbnails } from '@futures/thumbnails';
import { ThreadPoolExecutor } from '@futures/worker-threads';
import type { BenchContext, Scenario } from '../lib/scenario.js';
import { printTable } from '../lib/table.js';
import { SIZES } from './cases.js';
import { cpuBusy, sampleCpu } from './cpu.js';
import { cachedPhotos } from './photos.js';

async function run(context: BenchContext): Promise<void> {
  const { files } = await cachedPhotos(context.args.tasks ?? (context.args.quick ? 16 : 60));
  const cores = availableParallelism();
  const rows: string[][] = [];
  for (const workers of [1, cores, cores + 1, cores * 2]) {
    for (const vips of [1, 2, cores * 2]) {
      const out = await mkdtemp(join(tmpdir(), 'futures-bench-tune-'));
      const executor = new ThreadPoolExecutor({ maxWorkers: workers, minWorkers: workers, execArgv: [] });
      try {
        const before = sampleCpu();
        const start = performance.now();
        await makeThumbnails({ input: files, output: out, sizes: SIZES.map((s) => s.name), format: 'jpeg', force: true, executor, libvipsThreads: vips });
        const rate = files.length / ((performance.now() - start) / 1000);
        const busy = cpuBusy(before, sampleCpu());
        rows.push([String(workers), String(vips), rate.toFixed(2), busy ? `${Math.round(busy.all * 100)}%` : 'n/a']);
      } finally {
        await executor.shutdown();
        await rm(out, { recursive: true, force: true });
      }
    }
  }
  printTable({
    title: `(thumbnails tuning) ${files.length} photos, 3 sizes, ThreadPoolExecutor: workers × libvips threads per image (${cores} cores)`,
    columns: [{ header: 'workers' }, { header: 'libvips threads', align: 'right' }, { header: 'images/s', align: 'right' }, { header: 'CPU busy', align: 'right' }],
    rows,
  });
}

export const tuneScenario: Scenario = { id: 'thumbnails.tune', title: 'workers × libvips threads for makeThumbnails (the defaults)', run };
