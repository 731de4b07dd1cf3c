/** Option checking: every mistake is a TypeError or RangeError naming the option; sizes in ImageMagick style. */
import { describe, expect, it } from 'vitest';
import { InputNotFoundError, makeThumbnails, parseSize, type ThumbnailOptions } from '../src/index.ts';
import { tempDir } from './images.ts';

describe('parseSize', () => {
  it('reads ImageMagick geometry', () => {
    expect(parseSize('256x256')).toEqual({ width: 256, height: 256 });
    expect(parseSize('256x')).toEqual({ width: 256 });
    expect(parseSize('256')).toEqual({ width: 256 });
    expect(parseSize('x128')).toEqual({ height: 128 });
    expect(parseSize('64x64^')).toEqual({ width: 64, height: 64, fit: 'cover' });
    expect(parseSize('64x32!')).toEqual({ width: 64, height: 32, fit: 'fill' });
  });

  it('refuses anything else, naming the option', () => {
    expect(() => parseSize('big', '--size')).toThrow(new RangeError('--size must look like 256x256, 256x, x256 or 256 (optionally with ^ for cover or ! for fill), got "big"'));
    expect(() => parseSize('x')).toThrow(RangeError);
    expect(() => parseSize('0x10')).toThrow(/width must be between 1 and 16383, got 0/);
  });
});

describe('makeThumbnails options', () => {
  const base = { input: '.', output: '/tmp/never-written' };
  const cases: [Partial<ThumbnailOptions> & Record<string, unknown>, ErrorConstructor | RangeErrorConstructor | TypeErrorConstructor, RegExp][] = [
    [{ input: '' }, TypeError, /^input must be/],
    [{ input: [] }, TypeError, /^input must be/],
    [{ output: 3 as never }, TypeError, /^output must be/],
    [{ quality: 0 }, RangeError, /^quality must be >= 1, got 0/],
    [{ quality: 101 }, RangeError, /^quality must be between 1 and 100, got 101/],
    [{ quality: 'high' as never }, TypeError, /^quality must be an integer/],
    [{ effort: 10 }, RangeError, /^effort must be between 0 and 9/],
    [{ format: 'bmp' as never }, RangeError, /^format must be one of 'webp', 'jpeg', 'png', 'avif', got "bmp"/],
    [{ format: ['png', 'tiff'] as never }, RangeError, /^format\[1\] must be one of/],
    [{ fit: 'stretch' as never }, RangeError, /^fit must be one of 'inside', 'cover'/],
    [{ sizes: [] }, TypeError, /^sizes must be a non-empty array/],
    [{ sizes: ['256x256', 'huge'] }, RangeError, /^sizes\[1\] must look like/],
    [{ sizes: [{ fit: 'cover' }] }, RangeError, /^sizes\[0\] needs a width, a height or both/],
    [{ sizes: [{ width: 10, depth: 3 } as never] }, TypeError, /^sizes\[0\]: unknown option "depth"/],
    [{ sizes: ['100x', { width: 100 }] }, RangeError, /^sizes\[1\] has the same name as sizes\[0\] \(100x\)/],
    [{ sizes: ['100x', '200x'], outputName: '{dir}/{name}.{ext}' }, RangeError, /^outputName must contain \{size\} when there are several sizes/],
    [{ outputName: '{dir}/thumb.{ext}' }, RangeError, /^outputName must contain \{name\}/],
    [{ outputName: '{dir}/{name}.{extension}' }, RangeError, /^outputName has unknown placeholder\(s\) \{extension\}/],
    [{ metadata: 'some' as never }, RangeError, /^metadata must be one of 'none', 'icc', 'all'/],
    [{ limitInputPixels: 0 }, RangeError, /^limitInputPixels must be >= 1/],
    [{ concurrency: 1.5 }, TypeError, /^concurrency must be an integer, got 1.5/],
    [{ libvipsThreads: 0 }, RangeError, /^libvipsThreads must be >= 1/],
    [{ force: 'yes' as never }, TypeError, /^force must be a boolean/],
    [{ executor: {} as never }, TypeError, /^executor must be a @futures executor/],
    [{ signal: {} as never }, TypeError, /^signal must be an AbortSignal/],
    [{ onProgress: 1 as never }, TypeError, /^onProgress must be a function/],
    [{ sise: '256' } as never, TypeError, /^makeThumbnails: unknown option "sise"/],
  ];

  it.each(cases)('%o is refused', async (options, type, message) => {
    const run = makeThumbnails({ ...base, ...options } as ThumbnailOptions);
    await expect(run).rejects.toThrow(type);
    await expect(run).rejects.toThrow(message);
  });

  it('an input that does not exist, or a glob that matches nothing, is InputNotFoundError', async () => {
    const dir = await tempDir();
    await expect(makeThumbnails({ input: `${dir}/missing`, output: `${dir}/out` })).rejects.toMatchObject({ code: 'ERR_THUMBNAIL_INPUT_NOT_FOUND', name: 'InputNotFoundError' });
    await expect(makeThumbnails({ input: `${dir}/*.jpg`, output: `${dir}/out` })).rejects.toBeInstanceOf(InputNotFoundError);
  });

  it('an already aborted signal rejects with its reason before any work', async () => {
    const reason = new Error('no');
    await expect(makeThumbnails({ ...base, signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
  });

  it('an outputName that leaves the output directory is refused', async () => {
    const dir = await tempDir();
    const { writeFile } = await import('node:fs/promises');
    await writeFile(`${dir}/a.jpg`, 'x');
    await expect(makeThumbnails({ input: dir, output: `${dir}/out`, outputName: '../{name}.{ext}' })).rejects.toThrow(/outside the output directory/);
  });
});
