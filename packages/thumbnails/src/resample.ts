/**
 * One decode for several sizes. Decoding a 24 MP JPEG is most of the cost of a thumbnail, and
 * the naive way (one sharp pipeline per size) decodes it once per size. When every size shrinks
 * the image, the task decodes it once into a raw copy at the scale of the largest size, then
 * makes every size from that copy. Each output gets exactly the dimensions it would get from the
 * original (computed here with sharp's rounding), so the only difference is one more
 * resampling step for the smaller sizes, invisible at thumbnail scale.
 */
import type { Metadata } from 'sharp';
import type { ThumbnailFit } from './geometry.js';
import type { JobSettings, OutputSpec } from './job.js';

/** How one output is made from a copy of the (oriented) source scaled to `scale`. */
export interface OutputResize {
  /** The factor by which the output scales the source (its largest, for cover/fill). */
  readonly scale: number;
  /** The resize that gives the output's exact dimensions from any same-aspect copy of the source. */
  readonly width: number;
  readonly height: number;
  readonly fit: ThumbnailFit;
}

/** The resize `output` applies to a source of `width` × `height`, as sharp computes it. */
export function planResize(output: Pick<OutputSpec, 'width' | 'height' | 'fit'>, source: { readonly width: number; readonly height: number }): OutputResize {
  const sx = output.width === undefined ? undefined : output.width / source.width;
  const sy = output.height === undefined ? undefined : output.height / source.height;
  if (sx === undefined || sy === undefined || output.fit === 'inside' || output.fit === 'outside') {
    // The aspect ratio is kept: the box gives the scale, the source gives the other side (sharp rounds half up).
    const scale = sx === undefined ? (sy as number) : sy === undefined ? sx : output.fit === 'outside' ? Math.max(sx, sy) : Math.min(sx, sy);
    return { scale, width: Math.max(1, Math.round(source.width * scale)), height: Math.max(1, Math.round(source.height * scale)), fit: 'fill' };
  }
  // cover, contain and fill make the box itself.
  return { scale: output.fit === 'contain' ? Math.min(sx, sy) : Math.max(sx, sy), width: output.width as number, height: output.height as number, fit: output.fit };
}

/** The one raw copy to decode, and which outputs are made from it. */
export interface SharedDecode {
  /** Dimensions of the raw copy (the oriented source scaled by the largest output's scale). */
  readonly width: number;
  readonly height: number;
  /** The outputs made from the copy, each with its resize; the others are made from the file. */
  readonly fromCopy: ReadonlyMap<OutputSpec, OutputResize>;
}

/**
 * Plans a shared decode for `outputs` of an image with metadata `meta`, or `undefined` when it
 * would not help or could change the result: fewer than two shrinking outputs, metadata to
 * keep (a raw copy has none), or pixels that are not 8-bit sRGB/greyscale (CMYK, 16-bit).
 * Outputs that enlarge or keep the size are always made from the file.
 */
export function planSharedDecode(outputs: readonly OutputSpec[], meta: Metadata, settings: Pick<JobSettings, 'metadata'>): SharedDecode | undefined {
  if (settings.metadata !== 'none' || meta.depth !== 'uchar' || (meta.space !== 'srgb' && meta.space !== 'b-w')) return undefined;
  const width = meta.autoOrient?.width ?? meta.width;
  const height = meta.autoOrient?.height ?? meta.height;
  if (!width || !height) return undefined;
  const fromCopy = new Map<OutputSpec, OutputResize>();
  let largest = 0;
  for (const output of outputs) {
    const resize = planResize(output, { width, height });
    if (resize.scale >= 1) continue;
    fromCopy.set(output, resize);
    largest = Math.max(largest, resize.scale);
  }
  if (fromCopy.size < 2) return undefined;
  return { width: Math.max(1, Math.round(width * largest)), height: Math.max(1, Math.round(height * largest)), fromCopy };
}
