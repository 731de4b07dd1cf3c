/** One decode for several sizes: the outputs made from the shared copy have exactly sharp's dimensions. */
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { ThumbnailFit } from '../src/geometry.js';
import type { OutputSpec } from '../src/job.js';
import { planResize, planSharedDecode } from '../src/resample.js';
import { thumbnailFile } from '../src/task.js';
import { picture, tempDir } from './images.js';

const output = (width: number | undefined, height: number | undefined, fit: ThumbnailFit = 'inside'): OutputSpec => ({ path: '/x', width, height, fit, format: 'jpeg' });

describe('planResize', () => {
  // Sources and boxes where sharp's rounding matters (halves, one-pixel sides, every fit).
  const cases: [number, number, number | undefined, number | undefined, ThumbnailFit][] = [
    [3000, 2000, 800, undefined, 'inside'],
    [1000, 333, 500, undefined, 'inside'],
    [1000, 335, 500, undefined, 'cover'],
    [3000, 2000, undefined, 3, 'inside'],
    [100, 30, 7, 7, 'inside'],
    [100, 30, 7, 7, 'outside'],
    [1001, 3, 500, undefined, 'inside'],
    [640, 427, 100, 100, 'cover'],
    [640, 427, 100, 100, 'contain'],
    [640, 427, 100, 50, 'fill'],
    [427, 640, 100, 100, 'outside'],
  ];
  it.each(cases)('%i×%i into %s×%s (%s) gives the dimensions sharp gives', async (w, h, width, height, fit) => {
    const planned = planResize(output(width, height, fit), { width: w, height: h });
    const { info } = await sharp({ create: { width: w, height: h, channels: 3, background: '#777' } })
      .resize({ ...(width === undefined ? {} : { width }), ...(height === undefined ? {} : { height }), fit })
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect([planned.width, planned.height]).toEqual([info.width, info.height]);
  });
});

describe('planSharedDecode', () => {
  const meta = { width: 3000, height: 2000, depth: 'uchar', space: 'srgb' } as const;
  const sizes = [output(1600, undefined), output(800, undefined), output(256, 256, 'cover')];

  it('decodes once at the largest shrinking size and makes every shrinking size from it', () => {
    const plan = planSharedDecode(sizes, meta as never, { metadata: 'none' });
    expect(plan).toMatchObject({ width: 1600, height: 1067 });
    expect(plan?.fromCopy.size).toBe(3);
    expect(plan?.fromCopy.get(sizes[1] as OutputSpec)).toEqual({ scale: 800 / 3000, width: 800, height: 533, fit: 'fill' });
  });

  it('leaves sizes that enlarge to the file, and needs two shrinking sizes', () => {
    expect(planSharedDecode([output(4000, undefined), output(800, undefined)], meta as never, { metadata: 'none' })).toBeUndefined();
    const plan = planSharedDecode([output(4000, undefined), ...sizes], meta as never, { metadata: 'none' });
    expect(plan?.fromCopy.size).toBe(3);
  });

  it('uses the oriented size of a rotated photo', () => {
    const plan = planSharedDecode(sizes, { ...meta, autoOrient: { width: 2000, height: 3000 } } as never, { metadata: 'none' });
    expect(plan).toMatchObject({ width: 1600, height: 2400 }); // 1600 wide: portrait now
  });

  it('does not apply when metadata is kept, or to CMYK or 16-bit pixels', () => {
    expect(planSharedDecode(sizes, meta as never, { metadata: 'icc' })).toBeUndefined();
    expect(planSharedDecode(sizes, { ...meta, space: 'cmyk' } as never, { metadata: 'none' })).toBeUndefined();
    expect(planSharedDecode(sizes, { ...meta, depth: 'ushort' } as never, { metadata: 'none' })).toBeUndefined();
  });
});

describe('thumbnailFile with a shared decode', () => {
  it('writes every size with the dimensions and content of a direct resize', async () => {
    const dir = await tempDir();
    const input = join(dir, 'photo.jpg');
    await picture(1201, 801).jpeg({ quality: 95 }).toFile(input);
    const outputs: OutputSpec[] = [output(600, undefined), output(301, undefined), output(64, 64, 'cover'), output(100, 100, 'contain')].map((o, i) => ({ ...o, path: join(dir, `out-${i}.png`), format: 'png' }));
    const outcome = await thumbnailFile({
      input,
      outputs,
      settings: { quality: undefined, effort: undefined, position: 'centre', background: '#000000', enlarge: false, metadata: 'none', limitInputPixels: 1e8, libvipsThreads: 1, force: true, tempTag: 't' },
    });
    expect(outcome.status).toBe('processed');
    for (const spec of outputs) {
      const direct = await sharp(input).resize({ width: spec.width, height: spec.height, fit: spec.fit, background: '#000000' }).raw().toBuffer({ resolveWithObject: true });
      const made = await sharp(spec.path).raw().toBuffer({ resolveWithObject: true });
      expect([made.info.width, made.info.height], spec.path).toEqual([direct.info.width, direct.info.height]);
      // Same picture: the mean absolute difference per channel stays small (one more resampling step).
      let diff = 0;
      for (let i = 0; i < made.data.length; i++) diff += Math.abs((made.data[i] as number) - (direct.data[i] as number));
      expect(diff / made.data.length, spec.path).toBeLessThan(4);
    }
  });
});
