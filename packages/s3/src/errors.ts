/**
 * The typed errors of @futures/s3. Each has a stable `code`: match on it (or with
 * {@link isS3TransferError}). A failed object carries one in the run's summary; an error that
 * stops the whole run (a bad URI, a missing bucket, a listing that fails) is thrown.
 */
import { FuturesError, type FuturesErrorOptions } from '@futures/core';

/** The stable codes of {@link S3TransferError}. */
export type S3ErrorCode =
  /** A string given as an S3 location is not `s3://bucket[/prefix]`. */
  | 'ERR_S3_BAD_URI'
  /** A key would be written outside the target directory (`../x`, an absolute path, `..\x`, a NUL byte). */
  | 'ERR_S3_UNSAFE_KEY'
  /** The bytes that arrived do not match the checksum the server or the sender gave. */
  | 'ERR_S3_CHECKSUM_MISMATCH'
  /** The object or bucket does not exist (404). */
  | 'ERR_S3_NOT_FOUND'
  /** The server refused the credentials or the permission (403). */
  | 'ERR_S3_ACCESS_DENIED'
  /** A request failed, after the retries when it was worth retrying. */
  | 'ERR_S3_REQUEST'
  /** Reading or writing a local file failed. */
  | 'ERR_S3_LOCAL_IO'
  /** The source changed while it was being transferred (its size or ETag moved). */
  | 'ERR_S3_SOURCE_CHANGED'
  /** The run was stopped through its `AbortSignal`. */
  | 'ERR_S3_ABORTED';

/** An error of @futures/s3: one object that failed, or a run that could not go on. */
export class S3TransferError extends FuturesError<S3ErrorCode> {
  /** The object's key, when the error concerns one object. */
  readonly key: string | undefined;
  /** The local path, when one is concerned. */
  readonly path: string | undefined;
  /** The HTTP status of the failed request, when there was one. */
  readonly status: number | undefined;

  /** @param code the stable code, @param message what happened, @param details the key, path and status. */
  constructor(code: S3ErrorCode, message: string, details: { readonly key?: string | undefined; readonly path?: string | undefined; readonly status?: number | undefined } = {}, options?: FuturesErrorOptions) {
    super(code, message, options);
    this.key = details.key;
    this.path = details.path;
    this.status = details.status;
  }
}

const CODES: ReadonlySet<string> = new Set<S3ErrorCode>([
  'ERR_S3_BAD_URI',
  'ERR_S3_UNSAFE_KEY',
  'ERR_S3_CHECKSUM_MISMATCH',
  'ERR_S3_NOT_FOUND',
  'ERR_S3_ACCESS_DENIED',
  'ERR_S3_REQUEST',
  'ERR_S3_LOCAL_IO',
  'ERR_S3_SOURCE_CHANGED',
  'ERR_S3_ABORTED',
]);

/**
 * True when `error` is an {@link S3TransferError} (optionally with `code`), also across two
 * installed copies of the package, where `instanceof` does not work.
 */
export function isS3TransferError(error: unknown, code?: S3ErrorCode): error is S3TransferError {
  if (typeof error !== 'object' || error === null) return false;
  const found = (error as { code?: unknown }).code;
  return (error as { name?: unknown }).name === 'S3TransferError' && typeof found === 'string' && CODES.has(found) && (code === undefined || found === code);
}
