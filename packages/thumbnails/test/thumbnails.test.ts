/**
 * makeThumbnails on real images (generated with sharp), on AsyncExecutor and ThreadPoolExecutor:
 * every output is read back with sharp.
 */
import { readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Executor } from '@futures/core';
import { AsyncExecutor } from '@futures/async';
import { ThreadPoolExecutor } from '@futures/worker-threads';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CorruptImageError,
  ImageTooLargeError,
  OutputCollisionError,
  ThumbnailError,
  UnsupportedImageError,
  makeThumbnails,
  type ThumbnailProgress,
} from '../src/index.ts';
import { BAD, GOOD, makePhotoTree, picture, tempDir } from './images.ts';

/** Every file under `dir`, relative, sorted (hidden ones included: no temporary file may remain). */
async function listTree(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1)).sort();
}

const backends: [string, () => Executor][] = [
  ['AsyncExecutor', () => new AsyncExecutor({ maxWorkers: 2 })],
  ['ThreadPoolExecutor', () => new ThreadPoolExecutor({ maxWorkers: 2 })],
];

describe.each(backends)('makeThumbnails on %s', (_name, create) => {
  let executor: Executor;
  let photos: string;
  beforeAll(async () => {
    executor = create();
    photos = await makePhotoTree(await tempDir());
  });
  afterAll(() => executor.shutdown());

  it('mirrors the tree, in every size, oriented and stripped; bad files fail alone', async () => {
    const output = await tempDir();
    const progress: ThumbnailProgress[] = [];
    const summary = await makeThumbnails({ input: photos, output, sizes: ['64x64', { width: 100, height: 100, fit: 'cover', name: 'square' }], executor, onProgress: (p) => progress.push(p) });

    expect(summary).toMatchObject({ total: 9, done: 9, processed: 6, skipped: 0, failed: 3, outputs: 12 });
    expect(summary.bytesIn).toBeGreaterThan(0);
    expect(summary.bytesOut).toBeGreaterThan(0);
    const expected = GOOD.flatMap((file) => ['64x64', 'square'].map((size) => file.replace(/\.\w+$/, `-${size}.webp`))).sort();
    expect(await listTree(output)).toEqual(expected);

    // Read back: format, size (inside keeps 3:2; cover fills the box), orientation applied, metadata gone.
    const beach = await sharp(join(output, 'beach-64x64.webp')).metadata();
    expect(beach).toMatchObject({ format: 'webp', width: 64, height: 43 });
    expect(await sharp(join(output, 'sub/deep/web-square.webp')).metadata()).toMatchObject({ width: 100, height: 100 });
    const rotated = sharp(join(output, 'rotated-64x64.webp'));
    const meta = await rotated.metadata();
    expect(meta).toMatchObject({ width: 43, height: 64 }); // 300×200 stored, orientation 6: portrait
    expect(meta.orientation).toBeUndefined();
    expect(meta.exif).toBeUndefined();
    // The white marker was top-left of the stored pixels; rotated 90° clockwise it is top-right.
    const { data, info } = await rotated.raw().toBuffer({ resolveWithObject: true });
    const at = (x: number, y: number): number => data[(y * info.width + x) * info.channels] as number;
    expect(at(info.width - 3, 3)).toBeGreaterThan(230);
    expect(at(2, 3)).toBeLessThan(200);

    // Each bad file failed with its own error class and code; the others went on.
    const byName = new Map(summary.failures.map((f) => [f.input.slice(photos.length + 1), f.error]));
    expect(byName.get(BAD.bomb)).toBeInstanceOf(ImageTooLargeError);
    expect(byName.get(BAD.bomb)?.message).toMatch(/50000×50000 png \(2500 MP\), over limitInputPixels \(100 MP\)/);
    expect(byName.get(BAD.truncated)).toBeInstanceOf(CorruptImageError);
    expect(byName.get(BAD.text)).toBeInstanceOf(UnsupportedImageError);
    for (const error of byName.values()) {
      expect(error).toBeInstanceOf(ThumbnailError);
      expect(error.code).toMatch(/^ERR_THUMBNAIL_/);
      expect(error.input).toBe(join(photos, [...byName].find(([, e]) => e === error)?.[0] ?? ''));
    }

    expect(progress.map((p) => p.done)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(progress.at(-1)).toMatchObject({ total: 9, processed: 6, failed: 3 });
    expect(progress.filter((p) => p.file.status === 'failed').map((p) => p.file.input).sort()).toEqual(Object.values(BAD).map((f) => join(photos, f)).sort());
  });

  it('skips up-to-date thumbnails on a re-run, redoes a changed input, rewrites all with force', async () => {
    const input = await tempDir();
    await makePhotoTree(input, { bad: false });
    const output = await tempDir();
    const first = await makeThumbnails({ input, output, executor, format: 'jpeg' });
    expect(first).toMatchObject({ processed: 6, skipped: 0, failed: 0, outputs: 6 });
    const before = (await stat(join(output, 'beach.jpg'))).mtimeMs;

    const again = await makeThumbnails({ input, output, executor, format: 'jpeg' });
    expect(again).toMatchObject({ processed: 0, skipped: 6, outputs: 0, bytesOut: 0 });
    expect((await stat(join(output, 'beach.jpg'))).mtimeMs).toBe(before);

    const future = new Date(Date.now() + 60_000);
    await utimes(join(input, 'sub/icon.png'), future, future);
    const changed = await makeThumbnails({ input, output, executor, format: 'jpeg' });
    expect(changed).toMatchObject({ processed: 1, skipped: 5 });

    const forced = await makeThumbnails({ input, output, executor, format: 'jpeg', force: true });
    expect(forced).toMatchObject({ processed: 6, skipped: 0 });
  });

  it('writes every format at the quality asked, and keeps metadata when asked', async () => {
    const input = await tempDir();
    await picture(800, 600).jpeg().withExif({ IFD0: { Copyright: 'Futures Test' } }).toFile(join(input, 'photo.jpg'));
    const output = await tempDir();
    const summary = await makeThumbnails({ input, output, executor, format: ['jpeg', 'png', 'webp', 'avif'], sizes: ['200x'], quality: 90, effort: 2 });
    expect(summary.outputs).toBe(4);
    for (const format of ['jpeg', 'png', 'webp', 'heif'] as const) {
      const file = join(output, `photo.${format === 'jpeg' ? 'jpg' : format === 'heif' ? 'avif' : format}`);
      expect(await sharp(file).metadata(), file).toMatchObject({ format, width: 200, height: 150 });
    }
    const low = await tempDir();
    await makeThumbnails({ input, output: low, executor, format: 'jpeg', sizes: ['200x'], quality: 10 });
    expect((await stat(join(low, 'photo.jpg'))).size).toBeLessThan((await stat(join(output, 'photo.jpg'))).size);
    expect((await sharp(join(output, 'photo.jpg')).metadata()).exif).toBeUndefined();

    const kept = await tempDir();
    await makeThumbnails({ input, output: kept, executor, format: 'jpeg', sizes: ['200x'], metadata: 'all' });
    const exif = (await sharp(join(kept, 'photo.jpg')).metadata()).exif;
    expect(exif?.toString('latin1')).toContain('Futures Test');
  });

  it('refuses an output collision for both inputs instead of overwriting', async () => {
    const input = await tempDir();
    await picture(300, 200).jpeg().toFile(join(input, 'a.jpg'));
    await picture(300, 200).png().toFile(join(input, 'a.png'));
    await picture(300, 200).png().toFile(join(input, 'b.png'));
    const output = await tempDir();
    const summary = await makeThumbnails({ input, output, executor });
    expect(summary).toMatchObject({ processed: 1, failed: 2 });
    for (const { error } of summary.failures) {
      expect(error).toBeInstanceOf(OutputCollisionError);
      expect(error.code).toBe('ERR_THUMBNAIL_OUTPUT_COLLISION');
      expect((error as OutputCollisionError).output).toBe(join(output, 'a.webp'));
    }
    expect(await listTree(output)).toEqual(['b.webp']);
  });

  it('stops on abort: nothing new starts, no partial or temporary file is left, rejects with the reason', async () => {
    const input = await tempDir();
    const jpeg = await picture(1200, 800).jpeg().toBuffer();
    for (let i = 0; i < 24; i++) await writeFile(join(input, `p${String(i).padStart(2, '0')}.jpg`), jpeg);
    const output = await tempDir();
    const controller = new AbortController();
    const reason = new Error('stop now');
    let seen = 0;
    const run = makeThumbnails({ input, output, executor, sizes: ['300x300', '600x'], signal: controller.signal, onProgress: () => ++seen === 2 && controller.abort(reason) });
    await expect(run).rejects.toBe(reason);
    const files = await listTree(output);
    expect(files.every((file) => /^p\d\d-(300x300|600x)\.webp$/.test(file))).toBe(true); // no .tmp
    expect(files.length).toBeLessThan(48);
    for (const file of files) expect((await sharp(join(output, file)).metadata()).format).toBe('webp'); // complete
    expect(executor.isShutdown).toBe(false); // not ours to shut down
  });

  it('takes a glob and a list of files', async () => {
    const input = await tempDir();
    await makePhotoTree(input, { bad: false });
    const fromGlob = await tempDir();
    const globbed = await makeThumbnails({ input: `${input}/sub/**/*`, output: fromGlob, executor });
    expect(globbed.processed).toBe(3);
    expect(await listTree(fromGlob)).toEqual(['deep/web.webp', 'icon.webp', 'modern.avif'.replace('.avif', '.webp')].sort());

    const fromList = await tempDir();
    const listed = await makeThumbnails({ input: [join(input, 'beach.jpg'), join(input, 'sub/icon.png')], output: fromList, executor });
    expect(listed.processed).toBe(2);
    expect(await listTree(fromList)).toEqual(['beach.webp', 'sub/icon.webp']);
  });
});

describe('makeThumbnails with its default executor', () => {
  it('uses a ThreadPoolExecutor (installed here) with one worker per core, and shuts it down', async () => {
    const input = await tempDir();
    await picture(400, 300).jpeg().toFile(join(input, 'one.jpg'));
    const output = await tempDir();
    const summary = await makeThumbnails({ input, output, concurrency: 2 });
    expect(summary.executor).toMatch(/^ThreadPoolExecutor\(maxWorkers=2/);
    expect(summary.processed).toBe(1);
    expect(await readFile(join(output, 'one.webp'))).toBeInstanceOf(Buffer);
  });

  it('does not walk into the output directory when it lies inside the input tree', async () => {
    const input = await tempDir();
    await picture(400, 300).jpeg().toFile(join(input, 'one.jpg'));
    const first = await makeThumbnails({ input, output: join(input, 'thumbs'), format: 'jpeg', concurrency: 1 });
    const second = await makeThumbnails({ input, output: join(input, 'thumbs'), format: 'jpeg', concurrency: 1 });
    expect([first.total, second.total, second.skipped]).toEqual([1, 1, 1]);
  });
});
