/**
 * @futures/thumbnails: thumbnails for a folder of photos on every core, with sharp, over any
 * @futures executor (worker threads by default).
 *
 * @packageDocumentation
 */
export { makeThumbnails } from './run.js';
export {
  DEFAULT_EXTENSIONS,
  DEFAULT_LIMIT_INPUT_PIXELS,
  type ThumbnailCounts,
  type ThumbnailFileResult,
  type ThumbnailOptions,
  type ThumbnailProgress,
  type ThumbnailSummary,
} from './options.js';
export { FITS, parseSize, type ThumbnailFit, type ThumbnailSize } from './geometry.js';
export { FORMATS, type MetadataMode, type ThumbnailFormat, type WrittenOutput } from './job.js';
export { defaultConcurrency } from './executor.js';
export {
  CorruptImageError,
  ImageTooLargeError,
  InputNotFoundError,
  OutputCollisionError,
  ReadFailedError,
  TaskFailedError,
  ThumbnailError,
  UnsupportedImageError,
  WriteFailedError,
  type ThumbnailErrorCode,
  type ThumbnailErrorOptions,
} from './errors.js';
