/**
 * Thumbnails made by three worker processes that share a Redis queue (@futures/bullmq).
 *
 * Grows out of "Concurrent Execution with Python's concurrent.futures Module: A Hilariously
 * Efficient Guide" (seed 001_afc6471b14b11a2b), section "Practical Examples: 2. Image
 * Processing", which resizes photos in a pool of processes on one machine:
 *
 *     with concurrent.futures.ProcessPoolExecutor(max_workers=4) as executor:
 *         results = executor.map(process_image, image_paths)
 *
 * (`image-processing.ts` ports it line for line.) Here the pool is spread out: the executor is a
 * `DistributedExecutor`, whose every task becomes a job in a Redis queue, and the work is done
 * by three separate worker processes (`startWorker`, in `lib/worker-process.ts`), which take
 * jobs as they have room, import the task module by its URL (`tasks/distributed-thumbnails.ts`,
 * TypeScript, loaded through tsx) and send the results back through Redis. They are children of
 * this process here; on other machines they would be the same script, or `futures worker`,
 * pointed at the same Redis, with the photos on a shared disk.
 *
 * Each job runs the thumbnails recipe (`makeThumbnails` of @futures/thumbnails) on one photo:
 * two WebP thumbnails, 256×256 (inside) and 64×64 (cropped). The example writes twelve photos
 * and a file that only claims to be a JPEG, submits one task per file and reads them with
 * `asCompleted`, printing which worker process made each; the fake one fails in its worker with
 * `UnsupportedImageError`, which comes back to this process as itself. Then it opens every
 * thumbnail with sharp to check it, closes the workers (each finishes its running jobs) and
 * stops Redis, also when something failed on the way.
 *
 * Redis: the one FUTURES_REDIS_URL names, else a throwaway `redis-server` (install it with
 * `apt-get install redis-server`), started on a free port of 127.0.0.1 and stopped at the end.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { DistributedExecutor } from '@futures/bullmq';
import { asCompleted, defineTasks, type Future } from '@futures/core';
import { ThumbnailError } from '@futures/thumbnails';
import sharp from 'sharp';
import { exampleRedis } from './lib/redis.ts';
import { isEntryPoint, msSince, type Log } from './lib/support.ts';
import { startWorkerProcesses, type WorkerProcesses } from './lib/worker-processes.ts';
import type { ThumbnailJobResult } from './tasks/distributed-thumbnails.ts';

const TASKS_DIR = new URL('./tasks/', import.meta.url);
const tasks = defineTasks<typeof import('./tasks/distributed-thumbnails.js')>(new URL('./distributed-thumbnails.js', TASKS_DIR));

/** How many worker processes, and how many jobs each runs at once. */
export const WORKERS = 3;
export const JOBS_PER_WORKER = 2;
/** The photos: width × height, portrait ones included. */
export const PHOTOS: readonly (readonly [number, number])[] = [
  [1600, 1067], [1067, 1600], [1200, 1200], [2000, 1000], [1600, 1067], [900, 1350],
  [1600, 1067], [1067, 1600], [1280, 720], [720, 1280], [1500, 1000], [1000, 1500],
];
/** The thumbnails of each photo: within 256×256, and 64×64 cropped. */
export const SIZES = ['256x256', '64x64^'] as const;

/** One photo done by a worker. */
export interface ImageDone {
  readonly name: string;
  /** The worker process that made its thumbnails. */
  readonly pid: number;
  readonly thumbnails: readonly { readonly name: string; readonly width: number; readonly height: number; readonly bytes: number }[];
}

export interface DistributedThumbnailsResult {
  /** `own` when the example started its own redis-server, else FUTURES_REDIS_URL. */
  readonly redis: 'own' | 'FUTURES_REDIS_URL';
  /** The pids of the worker processes, in start order. */
  readonly workers: readonly number[];
  /** The photos done, in completion order. */
  readonly done: readonly ImageDone[];
  /** The files that failed, with their error (as it came back from the worker). */
  readonly failed: readonly { readonly name: string; readonly error: unknown }[];
  /** Photos done by each worker pid. */
  readonly perWorker: ReadonlyMap<number, number>;
  /** Thumbnails that sharp opened as WebP of the reported size within the size's box, and the ones that were not. */
  readonly valid: number;
  readonly invalid: readonly string[];
  /** The workers' exit codes after `close` (0: closed cleanly). */
  readonly exitCodes: readonly (number | null)[];
}

/** Writes the photos (gradients, so that they are not trivial to encode) and a fake JPEG; returns their paths. */
async function writePhotos(dir: string): Promise<string[]> {
  const paths = await Promise.all(
    PHOTOS.map(async ([width, height], i) => {
      const path = join(dir, `photo-${String(i + 1).padStart(2, '0')}.jpg`);
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><defs><linearGradient id="g" x2="1" y2="1">
        <stop offset="0" stop-color="hsl(${i * 30}, 70%, 45%)"/><stop offset="1" stop-color="hsl(${i * 30 + 120}, 70%, 65%)"/></linearGradient></defs>
        <rect width="100%" height="100%" fill="url(#g)"/><circle cx="${width / 2}" cy="${height / 2}" r="${Math.min(width, height) / 4}" fill="white" fill-opacity="0.6"/></svg>`;
      await sharp(Buffer.from(svg)).jpeg({ quality: 85 }).toFile(path);
      return path;
    }),
  );
  const fake = join(dir, 'not-a-photo.jpg');
  await writeFile(fake, 'not really a JPEG');
  return [...paths, fake];
}

/** Whether `path` is a WebP image of `width`×`height` that fits its size's box (`-256x256` inside, `-64x64` exactly). */
async function isValidThumbnail(path: string, width: number, height: number): Promise<boolean> {
  try {
    const meta = await sharp(path).metadata();
    if (meta.format !== 'webp' || meta.width !== width || meta.height !== height) return false;
    if (path.includes('-64x64')) return width === 64 && height === 64;
    return Math.max(width, height) === 256;
  } catch {
    return false; // missing or unreadable
  }
}

export async function main(log: Log = console.log): Promise<DistributedThumbnailsResult> {
  const dir = await mkdtemp(join(tmpdir(), 'futures-distributed-'));
  const redis = await exampleRedis().catch(async (error: unknown) => {
    await rm(dir, { recursive: true, force: true });
    throw error;
  });
  let workers: WorkerProcesses | undefined;
  let executor: DistributedExecutor | undefined;
  try {
    const queue = redis.queueName('thumbnails');
    log(redis.own ? `Redis: a throwaway redis-server at ${redis.url}` : `Redis: ${redis.url} (FUTURES_REDIS_URL)`);
    const input = join(dir, 'photos');
    const output = join(dir, 'thumbs');
    await mkdir(input);
    const files = await writePhotos(input);
    log(`Wrote ${PHOTOS.length} photos and a fake JPEG`);

    workers = await startWorkerProcesses(WORKERS, { connection: redis.url, queue, allow: TASKS_DIR.href, concurrency: JOBS_PER_WORKER });
    const workerNumber = new Map(workers.processes.map(({ index, pid }) => [pid, index]));
    log(`Started ${WORKERS} worker processes (pids ${workers.processes.map((w) => w.pid).join(', ')}), ${JOBS_PER_WORKER} jobs at once each, on queue ${queue}`);

    const start = performance.now();
    const distributed = new DistributedExecutor({ connection: redis.url, queue });
    executor = distributed;
    const futures = new Map<Future<ThumbnailJobResult>, string>(files.map((file) => [distributed.submit(tasks.thumbnail, file, output, SIZES), basename(file)]));
    const done: ImageDone[] = [];
    const failed: { name: string; error: unknown }[] = [];
    for await (const future of asCompleted(futures.keys())) {
      const name = futures.get(future as Future<ThumbnailJobResult>) as string; // asCompleted yields them without `then`
      const error = await future.exception();
      if (error !== undefined) {
        failed.push({ name, error });
        const pid = (error as { pid?: number }).pid;
        const code = error instanceof ThumbnailError ? ` ${error.code}` : '';
        log(`${name}: failed in worker ${workerNumber.get(pid ?? -1) ?? '?'} (pid ${pid ?? '?'}): ${(error as Error).name}${code}`);
        continue;
      }
      const { pid, written } = await future.result();
      const thumbnails = written.map((t) => ({ name: basename(t.path), width: t.width, height: t.height, bytes: t.bytes }));
      done.push({ name, pid, thumbnails });
      log(`${name}: ${thumbnails.map((t) => `${t.width}x${t.height}`).join(' + ')} by worker ${workerNumber.get(pid)} (pid ${pid})`);
    }
    const ms = msSince(start);

    const perWorker = new Map(workers.processes.map(({ pid }) => [pid, 0]));
    for (const { pid } of done) perWorker.set(pid, (perWorker.get(pid) ?? 0) + 1);
    const thumbnailCount = done.reduce((sum, image) => sum + image.thumbnails.length, 0);
    log(`${done.length} photos → ${thumbnailCount} thumbnails in ${ms} ms, ${failed.length} failed; photos per worker: ${[...perWorker].map(([pid, n]) => `${workerNumber.get(pid)} (pid ${pid}): ${n}`).join(', ')}`);

    // Every thumbnail, opened again here.
    let valid = 0;
    const invalid: string[] = [];
    for (const image of done) {
      for (const t of image.thumbnails) {
        if (await isValidThumbnail(join(output, t.name), t.width, t.height)) valid++;
        else invalid.push(t.name);
      }
    }
    log(invalid.length === 0 ? `All ${valid} thumbnails are WebP images of the expected sizes` : `${invalid.length} thumbnails are missing or wrong: ${invalid.join(', ')}`);

    await executor.shutdown();
    const exitCodes = await workers.close();
    log(`Closed the ${WORKERS} workers (exit codes ${exitCodes.join(', ')})`);
    return { redis: redis.own ? 'own' : 'FUTURES_REDIS_URL', workers: workers.processes.map((w) => w.pid), done, failed, perWorker, valid, invalid, exitCodes };
  } finally {
    // Also on the way out of a failure: the workers first (each finishes its running job), then
    // the executor (jobs nobody took are taken back), then Redis.
    // A job whose worker died would keep the executor waiting: Redis is stopped after 5 s anyway.
    await workers?.close();
    const stopping = executor?.shutdown({ cancelFutures: true });
    await Promise.race([stopping, delay(5_000, undefined, { ref: false })]);
    await redis.close();
    await rm(dir, { recursive: true, force: true });
  }
}

if (isEntryPoint(import.meta.url)) await main();
