/**
 * Sizes written the way ImageMagick and sharp-cli users write them: `256x256`, `256x` (width),
 * `x256` (height), `256` (width), with ImageMagick's flags `^` (fill the box, crop: `cover`) and
 * `!` (exactly this size, ignore the aspect ratio: `fill`).
 */

/** How an image is fitted into a size's box; sharp's `fit` values. */
export type ThumbnailFit = 'cover' | 'contain' | 'fill' | 'inside' | 'outside';

/** Every {@link ThumbnailFit}, for validation and help texts. */
export const FITS: readonly ThumbnailFit[] = ['inside', 'cover', 'contain', 'fill', 'outside'];

/** One thumbnail size. At least one of `width` and `height`. */
export interface ThumbnailSize {
  /** Width of the box in pixels; omitted: computed from the height and the aspect ratio. */
  readonly width?: number | undefined;
  /** Height of the box in pixels; omitted: computed from the width and the aspect ratio. */
  readonly height?: number | undefined;
  /** How the image fits the box; overrides the `fit` option for this size. */
  readonly fit?: ThumbnailFit | undefined;
  /**
   * The `{size}` part of output names.
   * @default `${width}x${height}`, e.g. `256x256`, `256x` or `x256`
   */
  readonly name?: string | undefined;
}

const GEOMETRY = /^(\d+)?(?:x(\d+)?)?([\^!])?$/;

/**
 * Parses `256x256`, `256x`, `x256`, `256` (width only, as ImageMagick), `256x256^` (cover) or
 * `256x256!` (fill) into a {@link ThumbnailSize}. Throws a `RangeError` naming `option` otherwise.
 *
 * @example
 * parseSize('256x256^'); // { width: 256, height: 256, fit: 'cover' }
 */
export function parseSize(text: string, option = 'size'): ThumbnailSize {
  const match = typeof text === 'string' ? GEOMETRY.exec(text.trim()) : null;
  const [, w, h, flag] = match ?? [];
  if (match === null || (w === undefined && h === undefined)) {
    throw new RangeError(`${option} must look like 256x256, 256x, x256 or 256 (optionally with ^ for cover or ! for fill), got ${JSON.stringify(text)}`);
  }
  const width = w === undefined ? undefined : Number(w);
  const height = h === undefined ? undefined : Number(h);
  for (const [name, value] of [['width', width], ['height', height]] as const) {
    if (value !== undefined && (value < 1 || value > 16_383)) throw new RangeError(`${option}: ${name} must be between 1 and 16383, got ${value} in ${JSON.stringify(text)}`);
  }
  const fit: ThumbnailFit | undefined = flag === '^' ? 'cover' : flag === '!' ? 'fill' : undefined;
  return { ...(width === undefined ? {} : { width }), ...(height === undefined ? {} : { height }), ...(fit ? { fit } : {}) };
}

/** The default `{size}` name of a size: `256x256`, `256x` or `x256`. */
export function sizeName(size: ThumbnailSize): string {
  return size.name ?? `${size.width ?? ''}x${size.height ?? ''}`;
}
