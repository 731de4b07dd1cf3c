/**
 * The options of `makeThumbnails`, their defaults, and their validation: every mistake is a
 * `TypeError` (wrong type) or `RangeError` (out of range) that names the option.
 */
import { isAbsolute, resolve } from 'node:path';
import { Executor, integerOption, optionsObject, rejectUnknownOptions } from '@futures/core';
import type { ThumbnailError } from './errors.js';
import { FITS, parseSize, sizeName, type ThumbnailFit, type ThumbnailSize } from './geometry.js';
import { FORMATS, type JobSettings, type MetadataMode, type ThumbnailFormat, type WrittenOutput } from './job.js';

/** Extensions picked from directories and globs, by default (files named explicitly are always taken). */
export const DEFAULT_EXTENSIONS: readonly string[] = ['.jpg', '.jpeg', '.png', '.webp', '.avif', '.gif', '.tif', '.tiff'];

/**
 * Inputs above this many pixels are refused: 100 MP is more than any camera makes (a 61 MP
 * full-frame sensor, a 100 MP medium-format back) and bounds what one decode may allocate.
 */
export const DEFAULT_LIMIT_INPUT_PIXELS = 100_000_000;

/** Options of {@link makeThumbnails}. Only `input` and `output` are required. */
export interface ThumbnailOptions {
  /**
   * What to read: a directory (walked recursively, hidden files skipped), a glob (`photos/**\/*.jpg`),
   * a file, or a list of any of these. Files from directories and globs are filtered by
   * `extensions`; files named explicitly are always tried.
   * @example 'photos/'
   */
  readonly input: string | readonly string[];
  /** The output directory; the input tree is mirrored under it. Created if missing. */
  readonly output: string;
  /**
   * The thumbnail sizes: objects or ImageMagick-style strings (`'256x256'`, `'256x'`,
   * `'x256'`, `'256x256^'` for `cover`, `'256x256!'` for `fill`).
   * @default ['256x256']
   */
  readonly sizes?: readonly (ThumbnailSize | string)[] | undefined;
  /**
   * Output format, or several (one output per size and format).
   * @default 'webp'
   */
  readonly format?: ThumbnailFormat | readonly ThumbnailFormat[] | undefined;
  /**
   * Encoder quality, 1–100 (JPEG, WebP, AVIF; for PNG it turns on palette quantisation).
   * @default each encoder's own: JPEG 80, WebP 80, AVIF 50, PNG lossless
   */
  readonly quality?: number | undefined;
  /**
   * Encoder effort: WebP 0–6, AVIF 0–9, PNG compression level 0–9. Higher is smaller and slower.
   * @default each encoder's own (WebP 4, AVIF 4, PNG 6)
   */
  readonly effort?: number | undefined;
  /**
   * How images fit each size's box (a size's own `fit` wins). `inside` keeps the aspect ratio
   * within the box (ImageMagick's `-thumbnail 256x256`); `cover` fills it and crops.
   * @default 'inside'
   */
  readonly fit?: ThumbnailFit | undefined;
  /** Where `cover` crops and `contain` places the image: sharp's `position` (`'centre'`, `'attention'`, `'entropy'`, `'north'`…). @default 'centre' */
  readonly position?: string | undefined;
  /** Letterbox colour of `contain` (any CSS colour). @default '#000000' with alpha 0 where the format has alpha */
  readonly background?: string | undefined;
  /** Scale up images smaller than the box. @default false */
  readonly enlarge?: boolean | undefined;
  /**
   * Metadata kept in thumbnails: `'none'` (stripped; pixels converted to sRGB), `'icc'` (the
   * colour profile only), `'all'` (EXIF, XMP, IPTC and ICC). EXIF orientation is always applied
   * to the pixels first.
   * @default 'none'
   */
  readonly metadata?: MetadataMode | undefined;
  /**
   * Inputs with more pixels (width × height) are refused before decoding, file by file
   * (`ImageTooLargeError`); the batch goes on.
   * @default 100_000_000
   */
  readonly limitInputPixels?: number | undefined;
  /**
   * Output path under `output`, with `{dir}` (the input's directory relative to the input root),
   * `{name}` (its file name without extension), `{ext}` (the output format's extension),
   * `{size}` (the size's name) and `{format}`.
   * @default '{dir}/{name}.{ext}' with one size, '{dir}/{name}-{size}.{ext}' with several
   * @example '{size}/{dir}/{name}.{ext}'
   */
  readonly outputName?: string | undefined;
  /**
   * The directory the mirrored tree starts from, for inputs named as files.
   * @default a directory input itself; a glob's directory part; the common directory of the files given
   */
  readonly base?: string | undefined;
  /** Extensions taken from directories and globs (case-insensitive). @default {@link DEFAULT_EXTENSIONS} */
  readonly extensions?: readonly string[] | undefined;
  /** Rewrite thumbnails even when they are newer than their input. @default false */
  readonly force?: boolean | undefined;
  /**
   * The executor that runs the tasks (any @futures backend). It is not shut down.
   * @default a ThreadPoolExecutor when @futures/worker-threads is installed, else an AsyncExecutor; shut down at the end
   */
  readonly executor?: Executor | undefined;
  /**
   * Images in progress at once. With the default executor, its worker count.
   * @default 1.5 × os.availableParallelism(), rounded up (see the README's measurement)
   */
  readonly concurrency?: number | undefined;
  /**
   * libvips threads per image (`sharp.concurrency`). The default pairs with one worker per core.
   * @default 1
   */
  readonly libvipsThreads?: number | undefined;
  /**
   * Stops the run: nothing new starts, images being made are finished (so no partial file is
   * left), then `makeThumbnails` rejects with `signal.reason`.
   */
  readonly signal?: AbortSignal | undefined;
  /** Called after each input file, with the file's result and the running totals. */
  readonly onProgress?: ((progress: ThumbnailProgress) => void) | undefined;
}

/** What happened to one input file. */
export type ThumbnailFileResult =
  | {
      readonly status: 'processed';
      readonly input: string;
      /** Thumbnails written. */
      readonly written: readonly WrittenOutput[];
      /** Thumbnails left alone because they were up to date. */
      readonly upToDate: readonly string[];
      readonly bytesIn: number;
      readonly bytesOut: number;
    }
  | { readonly status: 'skipped'; readonly input: string; readonly upToDate: readonly string[] }
  | { readonly status: 'failed'; readonly input: string; readonly error: ThumbnailError };

/** Running totals, passed to `onProgress` after each file. */
export interface ThumbnailCounts {
  /** Input files found. */
  readonly total: number;
  /** Files done so far (processed + skipped + failed). */
  readonly done: number;
  /** Files with at least one thumbnail written. */
  readonly processed: number;
  /** Files whose thumbnails were all up to date. */
  readonly skipped: number;
  /** Files that failed (see `failures`). */
  readonly failed: number;
  /** Thumbnails written. */
  readonly outputs: number;
  /** Bytes of the processed inputs. */
  readonly bytesIn: number;
  /** Bytes of the thumbnails written. */
  readonly bytesOut: number;
}

/** One progress report. */
export interface ThumbnailProgress extends ThumbnailCounts {
  /** The file just finished. */
  readonly file: ThumbnailFileResult;
}

/** What {@link makeThumbnails} resolves to. */
export interface ThumbnailSummary extends ThumbnailCounts {
  /** Each failed file with its error, in input order. */
  readonly failures: readonly { readonly input: string; readonly error: ThumbnailError }[];
  /** Wall-clock milliseconds, from the call to the end. */
  readonly durationMs: number;
  /** The executor that ran the tasks, e.g. `ThreadPoolExecutor(maxWorkers=2, …)`. */
  readonly executor: string;
}

/** A size with everything decided. */
export interface ResolvedSize {
  readonly width: number | undefined;
  readonly height: number | undefined;
  readonly fit: ThumbnailFit;
  readonly name: string;
}

/** The options, checked and with their defaults. */
export interface ResolvedOptions {
  readonly inputs: readonly string[];
  readonly output: string;
  readonly base: string | undefined;
  readonly sizes: readonly ResolvedSize[];
  readonly formats: readonly ThumbnailFormat[];
  readonly outputName: string;
  readonly extensions: ReadonlySet<string>;
  readonly settings: Omit<JobSettings, 'tempTag'>;
  readonly executor: Executor | undefined;
  readonly concurrency: number | undefined;
  readonly signal: AbortSignal | undefined;
  readonly onProgress: ((progress: ThumbnailProgress) => void) | undefined;
}

const KNOWN = [
  'input', 'output', 'sizes', 'format', 'quality', 'effort', 'fit', 'position', 'background', 'enlarge', 'metadata',
  'limitInputPixels', 'outputName', 'base', 'extensions', 'force', 'executor', 'concurrency', 'libvipsThreads', 'signal', 'onProgress',
];
const METADATA: readonly MetadataMode[] = ['none', 'icc', 'all'];
const PLACEHOLDERS = ['dir', 'name', 'ext', 'size', 'format'];

/** Checks every option and fills in the defaults. */
export function resolveOptions(options: ThumbnailOptions): ResolvedOptions {
  const opts = optionsObject('makeThumbnails', options) as Partial<ThumbnailOptions>;
  if (options === undefined) throw new TypeError('makeThumbnails: options are required: { input, output }');
  rejectUnknownOptions('makeThumbnails', opts, KNOWN);
  const inputs = typeof opts.input === 'string' ? [opts.input] : opts.input;
  if (!Array.isArray(inputs) || inputs.length === 0 || !inputs.every((item) => typeof item === 'string' && item !== '')) {
    throw new TypeError('input must be a directory, file or glob (a non-empty string), or a non-empty array of them');
  }
  if (typeof opts.output !== 'string' || opts.output === '') throw new TypeError('output must be the output directory (a non-empty string)');
  const fit = oneOf('fit', opts.fit, FITS, 'inside');
  const sizes = resolveSizes(opts.sizes, fit);
  const formats = resolveFormats(opts.format);
  const outputName = opts.outputName ?? (sizes.length > 1 ? '{dir}/{name}-{size}.{ext}' : '{dir}/{name}.{ext}');
  checkOutputName(outputName, sizes.length, formats.length);
  const extensions = opts.extensions ?? DEFAULT_EXTENSIONS;
  if (!Array.isArray(extensions) || !extensions.every((ext) => typeof ext === 'string' && /^\.?[\w-]+$/.test(ext))) {
    throw new TypeError(`extensions must be an array of extensions like '.jpg', got ${JSON.stringify(extensions)}`);
  }
  for (const [name, value] of [['position', opts.position], ['background', opts.background], ['base', opts.base]] as const) {
    if (value !== undefined && (typeof value !== 'string' || value === '')) throw new TypeError(`${name} must be a non-empty string, got ${JSON.stringify(value)}`);
  }
  if (opts.executor !== undefined && !(opts.executor instanceof Executor)) throw new TypeError('executor must be a @futures executor (e.g. new ThreadPoolExecutor())');
  if (opts.signal !== undefined && !(opts.signal instanceof AbortSignal)) throw new TypeError('signal must be an AbortSignal');
  if (opts.onProgress !== undefined && typeof opts.onProgress !== 'function') throw new TypeError('onProgress must be a function');
  return {
    inputs: inputs as readonly string[],
    output: resolve(opts.output),
    base: opts.base === undefined ? undefined : resolve(opts.base),
    sizes,
    formats,
    outputName,
    extensions: new Set(extensions.map((ext) => (ext.startsWith('.') ? ext : `.${ext}`).toLowerCase())),
    settings: {
      quality: opts.quality === undefined ? undefined : bounded('quality', opts.quality, 1, 100),
      effort: opts.effort === undefined ? undefined : bounded('effort', opts.effort, 0, 9),
      position: opts.position ?? 'centre',
      background: opts.background ?? '#00000000',
      enlarge: flag('enlarge', opts.enlarge),
      metadata: oneOf('metadata', opts.metadata, METADATA, 'none'),
      limitInputPixels: integerOption('limitInputPixels', opts.limitInputPixels, DEFAULT_LIMIT_INPUT_PIXELS),
      libvipsThreads: integerOption('libvipsThreads', opts.libvipsThreads, 1),
      force: flag('force', opts.force),
    },
    executor: opts.executor,
    concurrency: opts.concurrency === undefined ? undefined : integerOption('concurrency', opts.concurrency, 1),
    signal: opts.signal,
    onProgress: opts.onProgress,
  };
}

function resolveSizes(sizes: ThumbnailOptions['sizes'], fit: ThumbnailFit): ResolvedSize[] {
  const list = sizes ?? ['256x256'];
  if (!Array.isArray(list) || list.length === 0) throw new TypeError('sizes must be a non-empty array of sizes, e.g. ["256x256", { width: 1024 }]');
  const resolved = list.map((item, index): ResolvedSize => {
    const option = `sizes[${index}]`;
    const size = typeof item === 'string' ? parseSize(item, option) : (item as ThumbnailSize);
    if (typeof size !== 'object' || size === null) throw new TypeError(`${option} must be a size object or a string like '256x256', got ${JSON.stringify(item)}`);
    rejectUnknownOptions(option, size, ['width', 'height', 'fit', 'name']);
    const width = size.width === undefined ? undefined : bounded(`${option}.width`, size.width, 1, 16_383);
    const height = size.height === undefined ? undefined : bounded(`${option}.height`, size.height, 1, 16_383);
    if (width === undefined && height === undefined) throw new RangeError(`${option} needs a width, a height or both`);
    if (size.name !== undefined && (typeof size.name !== 'string' || !/^[\w.@+-]+$/.test(size.name))) {
      throw new TypeError(`${option}.name must be a file-name-safe string (letters, digits, . _ - + @), got ${JSON.stringify(size.name)}`);
    }
    return { width, height, fit: oneOf(`${option}.fit`, size.fit, FITS, fit), name: sizeName(size) };
  });
  const names = resolved.map((size) => size.name);
  const dup = names.findIndex((name, i) => names.indexOf(name) !== i);
  if (dup !== -1) throw new RangeError(`sizes[${dup}] has the same name as sizes[${names.indexOf(names[dup] as string)}] (${names[dup]}): their thumbnails would overwrite each other; give one a name`);
  return resolved;
}

function resolveFormats(format: ThumbnailOptions['format']): ThumbnailFormat[] {
  const list = format === undefined ? ['webp'] : typeof format === 'string' ? [format] : format;
  if (!Array.isArray(list) || list.length === 0) throw new TypeError(`format must be one of ${FORMATS.join(', ')} or an array of them`);
  const formats = list.map((item, i) => oneOf(Array.isArray(format) ? `format[${i}]` : 'format', item === 'jpg' ? 'jpeg' : item, FORMATS, 'webp'));
  return [...new Set(formats)];
}

function checkOutputName(template: string, sizes: number, formats: number): void {
  if (typeof template !== 'string' || template === '') throw new TypeError('outputName must be a non-empty string');
  const unknown = [...template.matchAll(/\{([^}]*)\}/g)].map((m) => m[1] as string).filter((name) => !PLACEHOLDERS.includes(name));
  if (unknown.length > 0) throw new RangeError(`outputName has unknown placeholder(s) ${unknown.map((n) => `{${n}}`).join(', ')}; known: ${PLACEHOLDERS.map((n) => `{${n}}`).join(', ')}`);
  if (!template.includes('{name}')) throw new RangeError(`outputName must contain {name}, got ${JSON.stringify(template)}`);
  if (isAbsolute(template)) throw new RangeError(`outputName must be relative to the output directory, got ${JSON.stringify(template)}`);
  if (sizes > 1 && !template.includes('{size}')) throw new RangeError(`outputName must contain {size} when there are several sizes, got ${JSON.stringify(template)}`);
  if (formats > 1 && !template.includes('{ext}') && !template.includes('{format}')) {
    throw new RangeError(`outputName must contain {ext} or {format} when there are several formats, got ${JSON.stringify(template)}`);
  }
}

function oneOf<T extends string>(name: string, value: unknown, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    throw new (typeof value === 'string' ? RangeError : TypeError)(`${name} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as T;
}

function bounded(name: string, value: unknown, min: number, max: number): number {
  const n = integerOption(name, value, min, min);
  if (n > max) throw new RangeError(`${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}

function flag(name: string, value: unknown): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw new TypeError(`${name} must be a boolean, got ${JSON.stringify(value)}`);
  return value;
}
