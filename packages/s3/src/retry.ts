/**
 * Retries around one request or part, on top of the SDK's own: the failures the SDK does not
 * retry (a connection reset while a body streams, a checksum that does not match) and the
 * transient ones it gave up on (5xx, throttling), with exponential backoff and full jitter.
 * Also turns any failure into an {@link S3TransferError} with a stable code.
 */
import { S3TransferError, type S3ErrorCode } from './errors.js';

const NETWORK_CODES: ReadonlySet<string> = new Set(['ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ERR_STREAM_PREMATURE_CLOSE', 'UND_ERR_SOCKET']);
const RETRY_NAMES: ReadonlySet<string> = new Set(['SlowDown', 'Throttling', 'ThrottlingException', 'RequestTimeout', 'RequestTimeTooSkewed', 'InternalError', 'ServiceUnavailable', 'BadDigest', 'TimeoutError', 'RequestTimeoutException']);
const LOCAL_CODES: ReadonlySet<string> = new Set(['ENOENT', 'EACCES', 'EPERM', 'EISDIR', 'ENOTDIR', 'ENOSPC', 'EROFS', 'EMFILE', 'EEXIST', 'ELOOP', 'EBUSY', 'EDQUOT', 'EFBIG']);

interface SdkErrorShape {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly syscall?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: number };
  readonly $response?: { readonly statusCode?: number };
}

/** The HTTP status of a failed SDK request, if it got one. */
export function statusOf(error: unknown): number | undefined {
  const shape = error as SdkErrorShape | undefined;
  return shape?.$metadata?.httpStatusCode ?? shape?.$response?.statusCode;
}

/** True when another try may succeed. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof S3TransferError) return error.code === 'ERR_S3_CHECKSUM_MISMATCH' && error.status === undefined;
  const shape = error as SdkErrorShape | undefined;
  if (shape === undefined || shape === null) return false;
  if (typeof shape.code === 'string' && NETWORK_CODES.has(shape.code)) return true;
  if (typeof shape.name === 'string' && RETRY_NAMES.has(shape.name)) return true;
  const status = statusOf(error);
  return status !== undefined && (status >= 500 || status === 429 || status === 408);
}

/** Settings of {@link retrying}. */
export interface RetrySettings {
  /** Tries after the first. */
  readonly retries: number;
  /** Stops the waits and the tries. */
  readonly signal?: AbortSignal | undefined;
  /** Called before each retry (for counting). */
  readonly onRetry?: ((error: unknown, attempt: number) => void) | undefined;
  /** Which failures to retry. @default {@link isRetryable} */
  readonly retryIf?: ((error: unknown) => boolean) | undefined;
  /** First backoff, doubled each time (full jitter), capped at 5 s. @default 100 */
  readonly baseDelayMs?: number | undefined;
}

/** Runs `attempt` until it succeeds, fails for good, or the retries are spent. */
export async function retrying<T>(settings: RetrySettings, attempt: (index: number) => Promise<T>): Promise<T> {
  for (let index = 0; ; index++) {
    settings.signal?.throwIfAborted();
    try {
      return await attempt(index);
    } catch (error) {
      if (settings.signal?.aborted === true || index >= settings.retries || !(settings.retryIf ?? isRetryable)(error)) throw error;
      settings.onRetry?.(error, index + 1);
      await sleep(Math.random() * Math.min(5_000, (settings.baseDelayMs ?? 100) * 2 ** index), settings.signal);
    }
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      signal?.removeEventListener('abort', aborted);
      resolve();
    }
    function aborted(): void {
      clearTimeout(timer);
      reject(signal?.reason);
    }
    signal?.addEventListener('abort', aborted, { once: true });
  });
}

/** True for an abort (the run's signal, or the SDK's `AbortError`). */
export function isAbort(error: unknown, signal?: AbortSignal): boolean {
  if (signal?.aborted === true && (error === signal.reason || (error as { name?: unknown })?.name === 'AbortError')) return true;
  return (error as { name?: unknown })?.name === 'AbortError';
}

/** Any failure as an {@link S3TransferError}, naming the object and what the server or the system said. */
export function toTransferError(error: unknown, details: { readonly key: string; readonly path?: string | undefined; readonly doing: string }, signal?: AbortSignal): S3TransferError {
  if (error instanceof S3TransferError) return error;
  const shape = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape & { message?: unknown };
  const message = typeof shape.message === 'string' && shape.message !== '' ? shape.message : String(error);
  const name = typeof shape.name === 'string' ? shape.name : 'Error';
  const status = statusOf(error);
  let code: S3ErrorCode = 'ERR_S3_REQUEST';
  // Once the run's signal has fired, whatever broke (often a socket reset mid-body) broke because of it.
  if (isAbort(error, signal) || signal?.aborted === true) code = 'ERR_S3_ABORTED';
  else if (typeof shape.code === 'string' && typeof shape.syscall === 'string' && LOCAL_CODES.has(shape.code)) code = 'ERR_S3_LOCAL_IO';
  else if (status === 404 || name === 'NoSuchKey' || name === 'NoSuchBucket' || name === 'NotFound') code = 'ERR_S3_NOT_FOUND';
  else if (status === 403 || name === 'AccessDenied') code = 'ERR_S3_ACCESS_DENIED';
  else if (status === 412 || name === 'PreconditionFailed') code = 'ERR_S3_SOURCE_CHANGED';
  const what = code === 'ERR_S3_LOCAL_IO' ? `${details.doing} ${details.path ?? details.key}` : `${details.doing} ${details.key}`;
  const said = code === 'ERR_S3_ABORTED' ? 'aborted' : code === 'ERR_S3_SOURCE_CHANGED' ? 'the object changed while it was being read' : `${name}${status === undefined ? '' : ` (HTTP ${status})`}: ${message}`;
  return new S3TransferError(code, `${what}: ${said}`, { key: details.key, path: details.path, status }, { cause: error });
}

/** The SDK's `send` options for `signal`: none without one (then the client's cached middleware stack is used). */
export function aborts(signal: AbortSignal | undefined): { abortSignal?: AbortSignal } | undefined {
  return signal === undefined ? undefined : { abortSignal: signal };
}
