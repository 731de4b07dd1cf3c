/**
 * Error classes of @futures/thumbnails. Every class extends `FuturesError` from @futures/core:
 * it sets `name`, carries a stable string `code`, keeps `cause`, and (for per-file errors) names
 * the input file. Match on `code` (or `instanceof`), never on the message.
 */
import { FuturesError, type FuturesErrorOptions } from '@futures/core';

/** The stable codes of this package's errors. */
export type ThumbnailErrorCode =
  | 'ERR_THUMBNAIL_INPUT_NOT_FOUND'
  | 'ERR_THUMBNAIL_UNSUPPORTED_INPUT'
  | 'ERR_THUMBNAIL_CORRUPT_INPUT'
  | 'ERR_THUMBNAIL_INPUT_TOO_LARGE'
  | 'ERR_THUMBNAIL_OUTPUT_COLLISION'
  | 'ERR_THUMBNAIL_READ_FAILED'
  | 'ERR_THUMBNAIL_WRITE_FAILED'
  | 'ERR_THUMBNAIL_TASK_FAILED';

/** Options of the per-file error constructors. */
export interface ThumbnailErrorOptions extends FuturesErrorOptions {
  /** The input file the error is about. */
  readonly input?: string | undefined;
}

/** Base class of every error of this package. */
export class ThumbnailError<C extends ThumbnailErrorCode = ThumbnailErrorCode> extends FuturesError<C> {
  /** The input file the error is about (absolute path), when it is about one. */
  readonly input: string | undefined;

  constructor(code: C, message: string, options?: ThumbnailErrorOptions) {
    super(code, message, options);
    this.input = options?.input;
  }
}

/** The `input` given to `makeThumbnails` (a directory, file or glob) matched nothing that exists. */
export class InputNotFoundError extends ThumbnailError<'ERR_THUMBNAIL_INPUT_NOT_FOUND'> {
  constructor(message: string, options?: ThumbnailErrorOptions) {
    super('ERR_THUMBNAIL_INPUT_NOT_FOUND', message, options);
  }
}

/** The file is not an image sharp can read (e.g. a text file named `.jpg`). The batch goes on. */
export class UnsupportedImageError extends ThumbnailError<'ERR_THUMBNAIL_UNSUPPORTED_INPUT'> {
  constructor(message: string, options?: ThumbnailErrorOptions) {
    super('ERR_THUMBNAIL_UNSUPPORTED_INPUT', message, options);
  }
}

/** The image is corrupt or truncated: its header was read, its pixels could not be. The batch goes on. */
export class CorruptImageError extends ThumbnailError<'ERR_THUMBNAIL_CORRUPT_INPUT'> {
  constructor(message: string, options?: ThumbnailErrorOptions) {
    super('ERR_THUMBNAIL_CORRUPT_INPUT', message, options);
  }
}

/**
 * The image has more pixels than `limitInputPixels` (a decompression bomb, or just too big): it
 * was refused before decoding. The batch goes on.
 */
export class ImageTooLargeError extends ThumbnailError<'ERR_THUMBNAIL_INPUT_TOO_LARGE'> {
  constructor(message: string, options?: ThumbnailErrorOptions) {
    super('ERR_THUMBNAIL_INPUT_TOO_LARGE', message, options);
  }
}

/** Two inputs (e.g. `a.jpg` and `a.png`) would write the same output file: neither is written. */
export class OutputCollisionError extends ThumbnailError<'ERR_THUMBNAIL_OUTPUT_COLLISION'> {
  /** The output path both inputs would write. */
  readonly output: string;
  /** The other input(s) that would write it. */
  readonly others: readonly string[];

  constructor(message: string, details: { readonly output: string; readonly others: readonly string[] }, options?: ThumbnailErrorOptions) {
    super('ERR_THUMBNAIL_OUTPUT_COLLISION', message, options);
    this.output = details.output;
    this.others = details.others;
  }
}

/** The input file could not be read (permissions, vanished meanwhile). */
export class ReadFailedError extends ThumbnailError<'ERR_THUMBNAIL_READ_FAILED'> {
  constructor(message: string, options?: ThumbnailErrorOptions) {
    super('ERR_THUMBNAIL_READ_FAILED', message, options);
  }
}

/** An output file could not be written (disk full, permissions); nothing partial is left. */
export class WriteFailedError extends ThumbnailError<'ERR_THUMBNAIL_WRITE_FAILED'> {
  constructor(message: string, options?: ThumbnailErrorOptions) {
    super('ERR_THUMBNAIL_WRITE_FAILED', message, options);
  }
}

/** The task failed outside sharp's control (its worker crashed, or an unexpected error); `cause` says why. */
export class TaskFailedError extends ThumbnailError<'ERR_THUMBNAIL_TASK_FAILED'> {
  constructor(message: string, options?: ThumbnailErrorOptions) {
    super('ERR_THUMBNAIL_TASK_FAILED', message, options);
  }
}

/** A per-file failure as plain data: how the task reports it across threads and processes. */
export interface FailureData {
  readonly code: Exclude<ThumbnailErrorCode, 'ERR_THUMBNAIL_INPUT_NOT_FOUND' | 'ERR_THUMBNAIL_OUTPUT_COLLISION'>;
  readonly message: string;
  /** The underlying error's message (sharp's or the file system's), kept as `cause`. */
  readonly cause?: string | undefined;
}

/** Rebuilds the error class of a failure reported by the task. */
export function errorFromFailure(failure: FailureData, input: string): ThumbnailError {
  const options = { input, ...(failure.cause === undefined ? {} : { cause: new Error(failure.cause) }) };
  switch (failure.code) {
    case 'ERR_THUMBNAIL_UNSUPPORTED_INPUT':
      return new UnsupportedImageError(failure.message, options);
    case 'ERR_THUMBNAIL_CORRUPT_INPUT':
      return new CorruptImageError(failure.message, options);
    case 'ERR_THUMBNAIL_INPUT_TOO_LARGE':
      return new ImageTooLargeError(failure.message, options);
    case 'ERR_THUMBNAIL_READ_FAILED':
      return new ReadFailedError(failure.message, options);
    case 'ERR_THUMBNAIL_WRITE_FAILED':
      return new WriteFailedError(failure.message, options);
    case 'ERR_THUMBNAIL_TASK_FAILED':
      return new TaskFailedError(failure.message, options);
  }
}
