/**
 * The contenders: @futures/thumbnails on each installed backend, a sequential sharp loop, and
 * `Promise.all` over sharp with its defaults. Every case makes the same three JPEG sizes of every
 * photo. To add a backend (e.g. ProcessPoolExecutor), add one entry to `BACKENDS`.
 */
import { join } from 'node:path';
import { AsyncExecutor } from '@futures/async';
import type { Executor } from '@futures/core';
import { defaultConcurrency, makeThumbnails } from '@futures/thumbnails';
import { ThreadPoolExecutor } from '@futures/worker-threads';
import sharp from 'sharp';

/** The three sizes: ImageMagick geometry for ours, the same boxes for the naive loops. */
export const SIZES = [
  { name: '1600x', width: 1600, height: undefined },
  { name: '800x', width: 800, height: undefined },
  { name: '256x256', width: 256, height: 256 },
] as const;

/** One case: makes the thumbnails of `files` under `out`. */
export interface ThumbnailCase {
  readonly name: string;
  run(files: readonly string[], out: string): Promise<void>;
}

/** Executors to run ours on: each created fresh for its run and shut down after. */
const BACKENDS: readonly { readonly name: string; readonly create: () => Executor }[] = [
  // As many workers as makeThumbnails' own executor has by default (1.5 per core).
  { name: 'ThreadPoolExecutor', create: () => new ThreadPoolExecutor({ maxWorkers: defaultConcurrency() }) },
  { name: 'AsyncExecutor', create: () => new AsyncExecutor({ maxWorkers: defaultConcurrency() }) },
];

function naiveOutput(out: string, file: string, size: string): string {
  return join(out, `${file.slice(file.lastIndexOf('/') + 1, -4)}-${size}.jpg`);
}

async function naiveOne(file: string, out: string): Promise<void> {
  for (const size of SIZES) {
    await sharp(file, { autoOrient: true }).resize({ width: size.width, ...(size.height ? { height: size.height } : {}), fit: 'inside', withoutEnlargement: true }).jpeg().toFile(naiveOutput(out, file, size.name));
  }
}

export const CASES: readonly ThumbnailCase[] = [
  {
    name: 'sequential sharp loop',
    async run(files, out) {
      for (const file of files) await naiveOne(file, out);
    },
  },
  {
    name: 'Promise.all over sharp (defaults)',
    async run(files, out) {
      await Promise.all(files.map((file) => naiveOne(file, out)));
    },
  },
  ...BACKENDS.map(
    (backend): ThumbnailCase => ({
      name: `makeThumbnails on ${backend.name}`,
      async run(files, out) {
        const executor = backend.create();
        try {
          const summary = await makeThumbnails({ input: [...files], output: out, sizes: SIZES.map((s) => s.name), format: 'jpeg', force: true, executor });
          if (summary.processed !== files.length) throw new Error(`makeThumbnails: ${summary.failed} failed`);
        } finally {
          await executor.shutdown();
        }
      },
    }),
  ),
];
