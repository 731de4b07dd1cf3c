/**
 * `thumbnails.photos`: 200 photo-sized JPEGs (3000×2000) to three sizes, @futures/thumbnails on
 * each backend against a sequential sharp loop and Promise.all over sharp, in the same run;
 * images/s, ratios and the CPU utilisation of all cores (from /proc/stat).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatRatio } from '../lib/format.js';
import type { BenchContext, Scenario } from '../lib/scenario.js';
import { printTable } from '../lib/table.js';
import { CASES } from './cases.js';
import { cpuBusy, sampleCpu } from './cpu.js';
import { PHOTO_HEIGHT, PHOTO_WIDTH, cachedPhotos } from './photos.js';
import { tuneScenario } from './tune.js';

interface Measured {
  readonly name: string;
  /** Images per second of each round. */
  readonly rates: number[];
  /** Busy share of all cores, and per core, of each round. */
  readonly busy: { all: number; cores: number[] }[];
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};
const percent = (share: number): string => `${Math.round(share * 100)}%`;

async function run(context: BenchContext): Promise<void> {
  const count = context.args.tasks ?? (context.args.quick ? 16 : 200);
  const rounds = context.args.runs ?? (context.args.quick ? 1 : 2);
  const { files } = await cachedPhotos(count);
  const measured: Measured[] = CASES.map((c) => ({ name: c.name, rates: [], busy: [] }));
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < CASES.length; k++) {
      const index = (k + round) % CASES.length; // rotate the order: drift on the machine spreads over every case
      const item = CASES[index];
      const result = measured[index];
      if (item === undefined || result === undefined) continue;
      const out = await mkdtemp(join(tmpdir(), 'futures-bench-thumbs-'));
      try {
        const before = sampleCpu();
        const start = performance.now();
        await item.run(files, out);
        const seconds = (performance.now() - start) / 1000;
        const busy = cpuBusy(before, sampleCpu());
        result.rates.push(files.length / seconds);
        if (busy) result.busy.push(busy);
      } finally {
        await rm(out, { recursive: true, force: true });
      }
    }
  }
  const rate = (name: string): number => median(measured.find((m) => m.name === name)?.rates ?? [0]);
  const sequential = rate('sequential sharp loop');
  const promiseAll = rate('Promise.all over sharp (defaults)');
  printTable({
    title: `(thumbnails) ${files.length} JPEGs of ${PHOTO_WIDTH}×${PHOTO_HEIGHT} to 1600x, 800x and 256x256 JPEG thumbnails; median of ${rounds} round${rounds === 1 ? '' : 's'}`,
    columns: [
      { header: 'case' },
      { header: 'images/s', align: 'right' },
      { header: 'min – max', align: 'right' },
      { header: 'vs sequential', align: 'right' },
      { header: 'vs Promise.all', align: 'right' },
      { header: 'CPU busy (all cores)', align: 'right' },
      { header: 'per core', align: 'right' },
    ],
    rows: measured.map((m) => {
      const r = median(m.rates);
      const all = m.busy.length ? percent(median(m.busy.map((b) => b.all))) : 'n/a';
      const cores = m.busy.length ? (m.busy[0]?.cores ?? []).map((_, i) => percent(median(m.busy.map((b) => b.cores[i] ?? 0)))).join(' ') : 'n/a';
      return [m.name, r.toFixed(2), `${Math.min(...m.rates).toFixed(2)} – ${Math.max(...m.rates).toFixed(2)}`, formatRatio(r / sequential), formatRatio(r / promiseAll), all, cores];
    }),
    notes: [
      'Every case writes the same three sizes of every photo (EXIF orientation applied, no enlargement, JPEG quality 80).',
      'CPU busy: the share of all cores not idle during the case (from /proc/stat; other load on the machine counts too).',
      'makeThumbnails also checks each header against limitInputPixels and writes atomically (temp file + rename).',
    ],
  });
}

export const thumbnailScenarios: readonly Scenario[] = [
  { id: 'thumbnails.photos', title: '200 photos (3000×2000 JPEG) to three sizes: ours vs naive sharp', run },
  tuneScenario,
];
