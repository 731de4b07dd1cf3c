/**
 * The distributed example (`src/distributed-thumbnails.ts`): three worker processes share a
 * Redis queue. It runs against a throwaway redis-server, or FUTURES_REDIS_URL; with neither it
 * fails (saying how to get one), as the @futures/bullmq tests do: never skipped.
 */
import { readdir } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { format } from 'node:util';
import { ThumbnailError, UnsupportedImageError } from '@futures/thumbnails';
import { describe, expect, it } from 'vitest';
import { JOBS_PER_WORKER, PHOTOS, SIZES, WORKERS, main as distributedThumbnails } from '../src/distributed-thumbnails.ts';

describe('seed 001: Practical Examples: 2. Image Processing, over three worker processes (@futures/bullmq)', () => {
  it('distributed-thumbnails: every photo made by one of the three worker processes, checked; the fake JPEG’s error comes back as itself', async () => {
    const lines: string[] = [];
    const result = await distributedThumbnails((...args: unknown[]) => lines.push(format(...args)));

    // Three worker processes, none of them this one, closed cleanly at the end.
    expect(result.workers).toHaveLength(WORKERS);
    expect(new Set(result.workers).size).toBe(WORKERS);
    expect(result.workers).not.toContain(process.pid);
    expect(result.exitCodes).toEqual([0, 0, 0]);

    // Every photo done once, by one of them, with its two thumbnails.
    expect(result.done.map((image) => image.name).sort()).toEqual(PHOTOS.map((_, i) => `photo-${String(i + 1).padStart(2, '0')}.jpg`));
    for (const image of result.done) {
      expect(result.workers).toContain(image.pid);
      expect(image.thumbnails.map((t) => t.name).sort()).toEqual([image.name.replace('.jpg', '-256x256.webp'), image.name.replace('.jpg', '-64x64.webp')].sort());
    }
    const [width, height] = PHOTOS[1] as readonly [number, number]; // portrait: 171×256 inside 256×256
    expect(width < height).toBe(true);
    expect(result.done.find((image) => image.name === 'photo-02.jpg')?.thumbnails.map((t) => [t.width, t.height])).toEqual(
      expect.arrayContaining([[171, 256], [64, 64]]),
    );
    // The work was spread: every worker took jobs, and the counts add up.
    for (const pid of result.perWorker.keys()) expect(result.workers).toContain(pid);
    expect([...result.perWorker.values()].reduce((a, b) => a + b, 0)).toBe(PHOTOS.length);
    // The work is spread: a worker that starts taking jobs late may get none on a loaded machine, but never does one do it all.
    expect(result.perWorker.size).toBeGreaterThanOrEqual(2);

    // Every thumbnail opened again by sharp: WebP, of the reported size.
    expect(result.valid).toBe(PHOTOS.length * SIZES.length);
    expect(result.invalid).toEqual([]);

    // The fake JPEG failed in a worker; its error class and code survived the trip through Redis.
    expect(result.failed).toHaveLength(1);
    const { name, error } = result.failed[0] as { name: string; error: unknown };
    expect(name).toBe('not-a-photo.jpg');
    expect(error).toBeInstanceOf(UnsupportedImageError);
    expect(error).toBeInstanceOf(ThumbnailError);
    expect((error as UnsupportedImageError).code).toBe('ERR_THUMBNAIL_UNSUPPORTED_INPUT');
    expect(result.workers).toContain((error as { pid?: number }).pid);

    // What it printed: a line per file naming the worker, the summary, the check.
    expect(lines[0]).toMatch(/^Redis: (a throwaway redis-server at redis:\/\/127\.0\.0\.1:\d+|\S+ \(FUTURES_REDIS_URL\))$/);
    expect(lines[2]).toBe(`Started ${WORKERS} worker processes (pids ${result.workers.join(', ')}), ${JOBS_PER_WORKER} jobs at once each, on queue ${/on queue (\S+)$/.exec(lines[2] ?? '')?.[1]}`);
    for (const image of result.done) {
      expect(lines).toContain(`${image.name}: ${image.thumbnails.map((t) => `${t.width}x${t.height}`).join(' + ')} by worker ${result.workers.indexOf(image.pid) + 1} (pid ${image.pid})`);
    }
    expect(lines).toContainEqual(expect.stringMatching(/^not-a-photo\.jpg: failed in worker [123] \(pid \d+\): UnsupportedImageError ERR_THUMBNAIL_UNSUPPORTED_INPUT$/));
    expect(lines).toContainEqual(expect.stringMatching(/^12 photos → 24 thumbnails in \d+ ms, 1 failed; photos per worker: 1 \(pid \d+\): \d+, 2 \(pid \d+\): \d+, 3 \(pid \d+\): \d+$/));
    expect(lines.at(-2)).toBe('All 24 thumbnails are WebP images of the expected sizes');
    expect(lines.at(-1)).toBe('Closed the 3 workers (exit codes 0, 0, 0)');
  }, 60_000);

  it('distributed-thumbnails cleans up when it fails half-way: workers gone, Redis stopped, files removed', async () => {
    const before = new Set((await readdir(tmpdir())).filter((name) => name.startsWith('futures-distributed-')));
    const lines: string[] = [];
    const failure = new Error('the log broke');
    const run = distributedThumbnails((...args: unknown[]) => {
      const line = format(...args);
      lines.push(line);
      if (line.startsWith('photo-')) throw failure; // after the first photo came back
    });
    await expect(run).rejects.toBe(failure);
    const pids = (/\(pids ([\d, ]+)\)/.exec(lines[2] ?? '')?.[1] ?? '').split(', ').map(Number);
    expect(pids).toHaveLength(WORKERS);
    for (const pid of pids) expect(() => process.kill(pid, 0), `worker ${pid} still alive`).toThrow(/ESRCH/);
    const after = (await readdir(tmpdir())).filter((name) => name.startsWith('futures-distributed-') && !before.has(name));
    expect(after).toEqual([]);
    const port = /redis:\/\/127\.0\.0\.1:(\d+)$/.exec(lines[0] ?? '')?.[1];
    if (port !== undefined) {
      // Our redis-server is gone (with FUTURES_REDIS_URL there is none of ours to stop).
      const refused = await new Promise<boolean>((resolve) => {
        const socket = connect(Number(port), '127.0.0.1');
        socket.once('connect', () => {
          socket.destroy();
          resolve(false);
        });
        socket.once('error', () => resolve(true));
      });
      expect(refused).toBe(true);
    }
  }, 60_000);
});
