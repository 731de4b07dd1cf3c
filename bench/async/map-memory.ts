/**
 * Memory: `executor.map` over 10^6 items, with `buffersize` (endless lazy input) and without
 * (every item submitted at once). Each mode runs in a fresh child process so that its peak
 * RSS is its own; both print RSS and heap use every 100,000 items.
 */
import { runInChild } from '../lib/child.js';
import { formatBytes, formatDuration, formatInteger, formatRate } from '../lib/format.js';
import type { Scenario } from '../lib/scenario.js';
import { printTable } from '../lib/table.js';
import type { MapMemoryReport } from './map-memory-child.js';
import { CONCURRENCY, WINDOW } from './common.js';

const CHILD = new URL('./map-memory-child.ts', import.meta.url);

export const mapMemoryScenario: Scenario = {
  id: 'async.map-memory',
  title: 'map memory with and without buffersize',
  async run({ args }) {
    const items = args.quick ? 200_000 : 1_000_000;
    const sampleEvery = items / 10;
    const common = [`--items=${items}`, `--sample-every=${sampleEvery}`];
    const buffered = await runInChild<MapMemoryReport>(CHILD, ['--mode=buffered', `--buffersize=${WINDOW}`, ...common]);
    const unbuffered = await runInChild<MapMemoryReport>(CHILD, ['--mode=unbuffered', ...common]);

    const labels = buffered.samples.map((s) => s.label);
    const byLabel = (report: MapMemoryReport, label: string) => report.samples.find((s) => s.label === label);
    const cells = (report: MapMemoryReport, label: string): string[] => {
      const s = byLabel(report, label);
      return s === undefined ? ['', '', ''] : [formatBytes(s.rss), formatBytes(s.heapUsed), s.liveHeap === undefined ? 'n/a' : formatBytes(s.liveHeap)];
    };
    const rate = (r: MapMemoryReport) => `${formatDuration(r.ms)} (${formatRate((r.items * 1000) / r.ms)}/s)`;
    printTable({
      title: `(c) memory: executor.map over ${formatInteger(items)} items, trivial async task, maxWorkers ${CONCURRENCY} (one fresh process per mode)`,
      columns: [
        { header: 'results yielded' },
        { header: `buffersize ${WINDOW}: RSS`, align: 'right' },
        { header: 'heapUsed', align: 'right' },
        { header: 'live heap', align: 'right' },
        { header: 'no buffersize: RSS', align: 'right' },
        { header: 'heapUsed', align: 'right' },
        { header: 'live heap', align: 'right' },
      ],
      rows: [
        ...labels.map((label) => [label, ...cells(buffered, label), ...cells(unbuffered, label)]),
        ['peak (polled)', formatBytes(buffered.peakRss), formatBytes(buffered.peakHeapUsed), '', formatBytes(unbuffered.peakRss), formatBytes(unbuffered.peakHeapUsed), ''],
        ['peak RSS (OS maxRSS)', formatBytes(buffered.maxRss), '', '', formatBytes(unbuffered.maxRss), '', ''],
        ['time, throughput', rate(buffered), '', '', rate(unbuffered), '', ''],
      ],
      notes: [
        `buffersize ${WINDOW}: input is an endless generator, read lazily; the loop stops after ${formatInteger(items)} results.`,
        `no buffersize: a finite generator of the same ${formatInteger(items)} items; map() submits all of them before the first result.`,
        `RSS and heapUsed are read as they are (heapUsed includes garbage not yet collected); live heap is heapUsed right after a forced full GC.`,
        `Peaks are polled every ${formatInteger(sampleEvery / 10)} items; maxRSS is the kernel's peak for the whole process (about 80 MiB of it is node + the tsx loader).`,
        'Times exclude the forced GCs of the samples.',
      ],
    });
  },
};
