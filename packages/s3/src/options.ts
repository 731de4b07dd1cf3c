/**
 * The options of the bulk operations (`upload`, `download`, `copy`, `sync`, `remove`), their
 * defaults and validation, and what a run reports: progress and the summary.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { Executor } from '@futures/core';
import type { S3ConnectionOptions } from './client.js';
import type { S3ErrorCode } from './errors.js';

const MiB = 1024 * 1024;

/** The smallest part S3 accepts (every part but the last). */
export const MIN_PART_SIZE = 5 * MiB;
/** The most parts an upload may have. */
export const MAX_PARTS = 10_000;

/** Defaults of {@link TransferOptions}. */
export const DEFAULTS = {
  concurrency: 16,
  partSize: 8 * MiB,
  multipartThreshold: 16 * MiB,
  partConcurrency: 4,
  retries: 3,
} as const;

/** How files and objects are matched against `include`/`exclude`. */
export interface FilterOptions {
  /**
   * Glob patterns (picomatch: `*`, `**`, `?`, `[abc]`, `{a,b}`) on the path relative to the
   * source directory or prefix, with `/` separators; only matching entries are transferred.
   * @example ['**\/*.jpg', 'docs/**']
   */
  readonly include?: readonly string[] | undefined;
  /** Glob patterns of entries never transferred (nor deleted by `sync` with `delete`); they win over `include`. @example ['**\/.git/**', '*.tmp'] */
  readonly exclude?: readonly string[] | undefined;
}

/** How each object moves: part size, threshold, parts in flight, retries (bulk and single-object calls alike). */
export interface PartOptions {
  /** Size of each part of a multipart upload, multipart copy or ranged download, in bytes (>= 5 MiB). @default 8 MiB */
  readonly partSize?: number | undefined;
  /** Objects of at least this size go multipart (upload, copy) or as parallel ranged GETs (download). @default 16 MiB */
  readonly multipartThreshold?: number | undefined;
  /** Parts (or ranges) of one object in flight at once. @default 4 */
  readonly partConcurrency?: number | undefined;
  /** Retries of a request or part after what the SDK already retried (a reset mid-body, a bad checksum, 5xx), with exponential backoff. @default 3 */
  readonly retries?: number | undefined;
}

/** {@link PartOptions} with defaults applied and checked. */
export interface ResolvedPartOptions {
  readonly partSize: number;
  readonly multipartThreshold: number;
  readonly partConcurrency: number;
  readonly retries: number;
}

/** Checks the part options and applies their defaults; a `RangeError` names a bad one. */
export function resolvePartOptions(options: PartOptions): ResolvedPartOptions {
  const partSize = wholeNumber('partSize', options.partSize, DEFAULTS.partSize, MIN_PART_SIZE, 5 * 1024 * MiB);
  return {
    partSize,
    multipartThreshold: wholeNumber('multipartThreshold', options.multipartThreshold, Math.max(DEFAULTS.multipartThreshold, partSize), MIN_PART_SIZE),
    partConcurrency: wholeNumber('partConcurrency', options.partConcurrency, DEFAULTS.partConcurrency, 1, 1_000),
    retries: wholeNumber('retries', options.retries, DEFAULTS.retries, 0, 100),
  };
}

/** The options every bulk operation takes. */
export interface TransferOptions extends S3ConnectionOptions, FilterOptions, PartOptions {
  /** The client to use (then `endpoint`, `region`, `credentials` are ignored). Only with an executor that runs plain functions (the default). */
  readonly client?: S3Client | undefined;
  /**
   * The executor that runs one task per object. @default an `AsyncExecutor` of
   * `concurrency` workers (S3 transfers are I/O). Any @futures executor works: thread and
   * process pools get a task reference and build their own client from the connection options.
   * It is not shut down.
   */
  readonly executor?: Executor | undefined;
  /** Objects in flight at once. @default 16 */
  readonly concurrency?: number | undefined;
  /** Plan only: list what would be done, in the summary's `actions`, and change nothing. */
  readonly dryRun?: boolean | undefined;
  /** Stops the run: nothing new starts, requests in flight are aborted, multipart uploads aborted, partial files removed. */
  readonly signal?: AbortSignal | undefined;
  /** Called as objects and bytes move (at most every 100 ms for bytes, and for every object). */
  readonly onProgress?: ((progress: TransferProgress) => void) | undefined;
  /**
   * Uploads: what to do with symbolic links. `'inside'` follows links whose target lies inside
   * the source directory and skips (and lists) the others; `'skip'` skips every link;
   * `'follow'` follows all. @default 'inside'
   */
  readonly symlinks?: 'inside' | 'skip' | 'follow' | undefined;
}

/** How `sync` decides that an object and a file (or two objects) are the same. */
export type CompareMode =
  /** Same size, and the destination is not older than the source. The default; no reads. */
  | 'size-mtime'
  /** Same size only. */
  | 'size'
  /** Same size and the same MD5 (ETag, or the multipart ETag computed over the same parts); reads every local file of equal size. */
  | 'checksum';

/** The options of `sync`. */
export interface SyncOptions extends TransferOptions {
  /** How unchanged entries are recognised. @default 'size-mtime' */
  readonly compare?: CompareMode | undefined;
  /** Also delete destination entries that are not in the source (`aws s3 sync --delete`); excluded ones are kept. @default false */
  readonly delete?: boolean | undefined;
}

/** Progress of a run. */
export interface TransferProgress {
  /** Objects finished (transferred, unchanged, deleted or failed). */
  readonly objectsDone: number;
  /** Objects to do (known once planning is over). */
  readonly objectsTotal: number;
  /** Bytes moved so far. */
  readonly bytesDone: number;
  /** Bytes to move. */
  readonly bytesTotal: number;
  /** Objects that failed so far. */
  readonly failed: number;
  /** Objects skipped as unchanged so far. */
  readonly unchanged: number;
  /** Since the run started. */
  readonly elapsedMs: number;
  /** Objects finished per second since the transfers started. */
  readonly objectsPerSecond: number;
  /** Bytes moved per second since the transfers started. */
  readonly bytesPerSecond: number;
  /** The object just finished, if this call is for one. */
  readonly object?: ObjectOutcome | undefined;
}

/** What happened to one object. */
export interface ObjectOutcome {
  /** What was (or, in a dry run, would be) done. */
  readonly action: 'upload' | 'download' | 'copy' | 'delete' | 'unchanged';
  /** The key (the destination's, for copies and uploads). */
  readonly key: string;
  /** The local file, for uploads and downloads. */
  readonly path?: string | undefined;
  /** Size in bytes. */
  readonly size: number;
  /** The error, when it failed. */
  readonly error?: TransferFailure | undefined;
}

/** One object that failed. */
export interface TransferFailure {
  /** The key concerned (the source key for copies and downloads). */
  readonly key: string;
  /** The local path concerned, if any. */
  readonly path?: string | undefined;
  /** The stable error code. */
  readonly code: S3ErrorCode;
  /** What went wrong. */
  readonly message: string;
}

/** What a planned action is, in a dry run's `actions`. */
export interface PlannedAction {
  /** The action. */
  readonly action: 'upload' | 'download' | 'copy' | 'delete';
  /** Where from (`s3://...` or a local path), for transfers. */
  readonly from?: string | undefined;
  /** Where to (`s3://...` or a local path); for deletes, what is deleted. */
  readonly to: string;
  /** Size in bytes. */
  readonly size: number;
}

/** A skipped entry that was not even planned (an unsafe key, a symlink out of the tree). */
export interface SkippedEntry {
  /** The key or relative path. */
  readonly name: string;
  /** Why. */
  readonly reason: string;
}

/** What a run did. */
export interface TransferSummary {
  /** The operation. */
  readonly operation: 'upload' | 'download' | 'copy' | 'sync' | 'remove';
  /** The source (`s3://...` or a local path). */
  readonly source: string;
  /** The destination (for `remove`, the same as the source). */
  readonly destination: string;
  /** True for a dry run: nothing was changed. */
  readonly dryRun: boolean;
  /** True when the run was stopped by its signal before the end. */
  readonly interrupted: boolean;
  /** Objects planned (transfers and deletes). */
  readonly planned: number;
  /** Objects uploaded, downloaded or copied (in a dry run: that would be). */
  readonly transferred: number;
  /** Objects skipped because the destination already had them (`sync`). */
  readonly unchanged: number;
  /** Objects or files deleted (`remove`, `sync` with `delete`). */
  readonly deleted: number;
  /** Objects that failed: see `failures`. */
  readonly failed: number;
  /** Bytes moved. */
  readonly bytes: number;
  /** Wall time of the run. */
  readonly durationMs: number;
  /** Objects transferred or deleted per second (unchanged ones not counted). */
  readonly objectsPerSecond: number;
  /** Bytes moved per second. */
  readonly bytesPerSecond: number;
  /** Every failed object, with its error. */
  readonly failures: readonly TransferFailure[];
  /** Entries not planned at all, and why (refused unsafe keys are in `failures`). */
  readonly skipped: readonly SkippedEntry[];
  /** In a dry run: every action that would be taken, in order. */
  readonly actions: readonly PlannedAction[];
}

/** {@link TransferOptions} with defaults applied and checked. */
export interface ResolvedOptions extends ResolvedPartOptions {
  readonly concurrency: number;
  readonly dryRun: boolean;
  readonly symlinks: 'inside' | 'skip' | 'follow';
  readonly compare: CompareMode;
  readonly delete: boolean;
}

const KNOWN = new Set([
  'endpoint', 'region', 'credentials', 'forcePathStyle', 'maxSockets', 'maxAttempts', 'include', 'exclude', 'client', 'executor', 'concurrency', 'partSize',
  'multipartThreshold', 'partConcurrency', 'retries', 'dryRun', 'signal', 'onProgress', 'symlinks', 'compare', 'delete',
]);

function wholeNumber(name: string, value: unknown, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be a whole number from ${min}${max === Number.MAX_SAFE_INTEGER ? '' : ` to ${max}`}, got ${String(value)}`);
  }
  return value;
}

/** Checks `options` (unknown keys, types, ranges) and applies the defaults; throws `TypeError`/`RangeError` naming the option. */
export function resolveOptions(options: SyncOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) throw new TypeError(`options must be an object, got ${options === null ? 'null' : typeof options}`);
  for (const key of Object.keys(options)) if (!KNOWN.has(key)) throw new TypeError(`unknown option ${JSON.stringify(key)}`);
  if (options.executor !== undefined && !(options.executor instanceof Executor)) throw new TypeError('executor must be a @futures executor (e.g. new AsyncExecutor())');
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) throw new TypeError('signal must be an AbortSignal');
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function') throw new TypeError('onProgress must be a function');
  for (const name of ['include', 'exclude'] as const) {
    const patterns = options[name];
    if (patterns !== undefined && (!Array.isArray(patterns) || patterns.some((p) => typeof p !== 'string' || p === ''))) throw new TypeError(`${name} must be an array of non-empty glob strings`);
  }
  const symlinks = options.symlinks ?? 'inside';
  if (symlinks !== 'inside' && symlinks !== 'skip' && symlinks !== 'follow') throw new TypeError(`symlinks must be 'inside', 'skip' or 'follow', got ${JSON.stringify(symlinks)}`);
  const compare = options.compare ?? 'size-mtime';
  if (compare !== 'size-mtime' && compare !== 'size' && compare !== 'checksum') throw new TypeError(`compare must be 'size-mtime', 'size' or 'checksum', got ${JSON.stringify(compare)}`);
  return {
    concurrency: wholeNumber('concurrency', options.concurrency, DEFAULTS.concurrency, 1, 10_000),
    ...resolvePartOptions(options),
    dryRun: options.dryRun === true,
    symlinks,
    compare,
    delete: options.delete === true,
  };
}
