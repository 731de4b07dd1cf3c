/**
 * What a `futures s3` command line asks for, and running it: the operands become a job (a bulk
 * operation of @futures/s3 on a tree or prefix, or one file or object as `aws s3 cp` does
 * without `--recursive`), and every job ends in a `TransferSummary`.
 */
import { stat } from 'node:fs/promises';
import { basename, join, resolve, sep } from 'node:path';
import {
  copy,
  copyObject,
  deleteObject,
  download,
  downloadFile,
  headObject,
  isS3TransferError,
  isS3Uri,
  parseS3Uri,
  remove,
  sync,
  unsafeKeyReason,
  upload,
  uploadFile,
  type S3ConnectionOptions,
  type S3Location,
  type TransferFailure,
  type TransferProgress,
  type TransferSummary,
} from '@futures/s3';
import { UsageError } from '../../command.js';
import type { FlagOptions, Subcommand, Values } from './args.js';

/** A bulk operation of @futures/s3. */
type Operation = TransferSummary['operation'];

/** What to run. `src`/`dst` are the S3 sides (prefix as a directory), for describing objects. */
export type Job = { readonly src: S3Location | undefined; readonly dst: S3Location | undefined } & (
  | {
      readonly kind: 'bulk';
      readonly operation: Operation;
      readonly source: string;
      readonly destination: string;
    }
  | { readonly kind: 'put'; readonly file: string; readonly bucket: string; readonly key: string }
  | { readonly kind: 'get'; readonly bucket: string; readonly key: string; readonly file: string }
  /** One object copied on the server (may be renamed). */
  | { readonly kind: 'copy'; readonly sourceBucket: string; readonly sourceKey: string; readonly bucket: string; readonly key: string }
  /** One object deleted. */
  | { readonly kind: 'delete'; readonly bucket: string; readonly key: string }
);

/** The arguments each subcommand takes, for messages. */
const OPERANDS: Readonly<Record<Subcommand, string>> = {
  upload: '<dir> <s3://bucket/prefix>',
  download: '<s3://bucket/prefix> <dir>',
  cp: '<source> <destination>',
  sync: '<source> <destination>',
  rm: '<s3://bucket/prefix>',
};

/** `s3://bucket/prefix` parsed; anything else a usage error naming `role`. */
function location(text: string, role: string): S3Location {
  if (!isS3Uri(text)) throw new UsageError(`expected s3://bucket/prefix as the ${role}, got ${JSON.stringify(text)}`);
  try {
    return parseS3Uri(text);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** The prefix a tree operation works under (`photos` → `photos/`, as @futures/s3 and `aws s3` read it). */
function asDirectory(where: S3Location): S3Location {
  return where.prefix === '' || where.prefix.endsWith('/') ? where : { bucket: where.bucket, prefix: `${where.prefix}/` };
}

function local(text: string, role: string): string {
  if (isS3Uri(text)) throw new UsageError(`expected a local ${role === 'source' ? 'file or directory' : 'directory'} as the ${role}, got ${JSON.stringify(text)} (S3 to S3: futures s3 cp)`);
  return text;
}

async function kindOf(path: string): Promise<'file' | 'directory' | 'missing' | 'other'> {
  try {
    const info = await stat(path);
    return info.isDirectory() ? 'directory' : info.isFile() ? 'file' : 'other';
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT' || (error as { code?: unknown }).code === 'ENOTDIR') return 'missing';
    throw new UsageError(`cannot read ${path}: ${(error as Error).message}`);
  }
}

async function localSource(path: string): Promise<'file' | 'directory'> {
  const kind = await kindOf(path);
  if (kind === 'missing') throw new UsageError(`no such file or directory: ${path}`);
  if (kind === 'other') throw new UsageError(`${path} is not a file or a directory`);
  return kind;
}

async function localTargetDirectory(path: string): Promise<void> {
  if ((await kindOf(path)) === 'file') throw new UsageError(`${path} is a file, not a directory`);
}

/** The key and name of one object (no `--recursive`): a prefix is a usage error. */
function oneObject(where: S3Location, text: string, verb: string): { key: string; name: string; parent: string } {
  const key = where.prefix;
  if (key === '' || key.endsWith('/')) throw new UsageError(`${text} is a prefix, not an object: add --recursive (-r) to ${verb} every object under it`);
  const slash = key.lastIndexOf('/');
  return { key, name: key.slice(slash + 1), parent: key.slice(0, slash + 1) };
}

function refuseFilters(values: Values): void {
  if (values.include !== undefined || values.exclude !== undefined) {
    throw new UsageError('--include and --exclude filter the files of a tree or the objects under a prefix: with one file or object, drop them or add --recursive (-r)');
  }
}

/** The key a single file goes to: `aws s3 cp` style (`s3://b/dir/` or `s3://b` → the file's name under it). */
function keyFor(where: S3Location, file: string): string {
  return where.prefix === '' || where.prefix.endsWith('/') ? where.prefix + basename(file) : where.prefix;
}

/** Turns the operands of `subcommand` into a job; usage errors name what is wrong. */
export async function resolveJob(subcommand: Subcommand, operands: readonly string[], values: Values): Promise<Job> {
  const expected = subcommand === 'rm' ? 1 : 2;
  if (operands.length !== expected) throw new UsageError(`${subcommand} takes ${OPERANDS[subcommand]}, got ${operands.length} argument${operands.length === 1 ? '' : 's'}`);
  const [first, second] = operands as [string, string];
  const recursive = values.recursive === true;
  switch (subcommand) {
    case 'upload': {
      const dst = location(second, 'destination');
      const source = local(first, 'source');
      if ((await localSource(source)) === 'file') {
        refuseFilters(values);
        const where = asDirectory(dst);
        return { kind: 'put', file: source, bucket: where.bucket, key: keyFor(where, source), src: undefined, dst: { bucket: dst.bucket, prefix: '' } };
      }
      return { kind: 'bulk', operation: 'upload', source, destination: second, src: undefined, dst: asDirectory(dst) };
    }
    case 'download': {
      const src = location(first, 'source');
      const destination = local(second, 'destination');
      await localTargetDirectory(destination);
      return { kind: 'bulk', operation: 'download', source: first, destination, src: asDirectory(src), dst: undefined };
    }
    case 'sync':
      return resolveSync(first, second);
    case 'cp':
      return resolveCopy(first, second, recursive, values);
    case 'rm': {
      const target = location(first, 'target');
      if (recursive) return { kind: 'bulk', operation: 'remove', source: first, destination: first, src: asDirectory(target), dst: asDirectory(target) };
      refuseFilters(values);
      const { key } = oneObject(target, first, 'delete');
      return { kind: 'delete', bucket: target.bucket, key, src: { bucket: target.bucket, prefix: '' }, dst: undefined };
    }
  }
}

async function resolveSync(first: string, second: string): Promise<Job> {
  if (!isS3Uri(first) && !isS3Uri(second)) throw new UsageError(`sync needs an s3:// location on at least one side, got ${JSON.stringify(first)} and ${JSON.stringify(second)}`);
  const src = isS3Uri(first) ? asDirectory(location(first, 'source')) : undefined;
  const dst = isS3Uri(second) ? asDirectory(location(second, 'destination')) : undefined;
  if (src === undefined && (await localSource(first)) === 'file') throw new UsageError(`sync needs a directory as the source, got the file ${first} (for one file: futures s3 cp)`);
  if (dst === undefined) await localTargetDirectory(second);
  return { kind: 'bulk', operation: 'sync', source: first, destination: second, src, dst };
}

async function resolveCopy(first: string, second: string, recursive: boolean, values: Values): Promise<Job> {
  const fromS3 = isS3Uri(first);
  const toS3 = isS3Uri(second);
  if (!fromS3 && !toS3) throw new UsageError(`cp needs an s3:// location on at least one side, got ${JSON.stringify(first)} and ${JSON.stringify(second)}`);
  if (!fromS3) {
    const dst = location(second, 'destination');
    if ((await localSource(first)) === 'directory') {
      if (!recursive) throw new UsageError(`${first} is a directory: add --recursive (-r) to copy the tree under it (or use futures s3 upload)`);
      return { kind: 'bulk', operation: 'upload', source: first, destination: second, src: undefined, dst: asDirectory(dst) };
    }
    refuseFilters(values);
    return { kind: 'put', file: first, bucket: dst.bucket, key: keyFor(dst, first), src: undefined, dst: { bucket: dst.bucket, prefix: '' } };
  }
  const src = location(first, 'source');
  if (!toS3) {
    if (recursive) await localTargetDirectory(second);
    if (recursive) return { kind: 'bulk', operation: 'download', source: first, destination: second, src: asDirectory(src), dst: undefined };
    refuseFilters(values);
    const { key, name } = oneObject(src, first, 'copy');
    const into = (await kindOf(second)) === 'directory' || second.endsWith('/') || second.endsWith(sep);
    if (into) {
      const reason = unsafeKeyReason(name);
      if (reason !== undefined) throw new UsageError(`cannot name a local file after the key ${JSON.stringify(key)}: ${reason}`);
    }
    return { kind: 'get', bucket: src.bucket, key, file: into ? join(second, name) : second, src: { bucket: src.bucket, prefix: '' }, dst: undefined };
  }
  const dst = location(second, 'destination');
  if (recursive) return { kind: 'bulk', operation: 'copy', source: first, destination: second, src: asDirectory(src), dst: asDirectory(dst) };
  refuseFilters(values);
  const { key, name } = oneObject(src, first, 'copy');
  const target = keyFor(dst, name);
  // src/dst as "directories" whose only entry is the object, so that progress lines name both ends.
  return { kind: 'copy', sourceBucket: src.bucket, sourceKey: key, bucket: dst.bucket, key: target, src: { bucket: src.bucket, prefix: key }, dst: { bucket: dst.bucket, prefix: target } };
}

/** How a job runs: the options, the stop signal, and where progress goes. */
export interface JobContext {
  readonly options: FlagOptions & S3ConnectionOptions;
  readonly signal: AbortSignal;
  readonly onProgress: (progress: TransferProgress) => void;
  /** A note for the user (stderr). */
  readonly note: (text: string) => void;
}

/** Runs `job`; a failed object is in the summary, an error that stops the run is thrown. */
export async function runJob(job: Job, context: JobContext): Promise<TransferSummary> {
  const options = { ...context.options, signal: context.signal, onProgress: context.onProgress };
  switch (job.kind) {
    case 'bulk': {
      const run = { upload, download, copy, sync, remove: (source: string, _destination: string, o: typeof options) => remove(source, o) }[job.operation];
      return run(job.source, job.destination, options);
    }
    case 'put':
    case 'get':
    case 'copy':
    case 'delete':
      return runSingle(job, context);
  }
}

function connectionOf(options: S3ConnectionOptions): S3ConnectionOptions {
  const { endpoint, region, credentials } = options;
  return { ...(endpoint === undefined ? {} : { endpoint }), ...(region === undefined ? {} : { region }), ...(credentials === undefined ? {} : { credentials }) };
}

/** One file or object (uploadFile, downloadFile, copyObject, deleteObject), summed up like a bulk run. */
async function runSingle(job: Extract<Job, { kind: 'put' | 'get' | 'copy' | 'delete' }>, context: JobContext): Promise<TransferSummary> {
  const { options, signal } = context;
  const uri = `s3://${job.bucket}/${job.key}`;
  const file = job.kind === 'put' || job.kind === 'get' ? resolve(job.file) : undefined;
  const from = job.kind === 'put' ? (file as string) : job.kind === 'copy' ? `s3://${job.sourceBucket}/${job.sourceKey}` : uri;
  const to = job.kind === 'get' ? (file as string) : uri;
  const action = ({ put: 'upload', get: 'download', copy: 'copy', delete: 'delete' } as const)[job.kind];
  const connection = connectionOf(options);
  const started = performance.now();
  const base = {
    operation: ({ put: 'upload', get: 'download', copy: 'copy', delete: 'remove' } as const)[job.kind],
    source: from,
    destination: to,
    dryRun: options.dryRun === true,
    interrupted: false,
    planned: 1,
    transferred: 0,
    unchanged: 0,
    deleted: 0,
    failed: 0,
    bytes: 0,
    failures: [] as TransferFailure[],
    skipped: [],
    actions: [] as TransferSummary['actions'][number][],
  };
  const finish = (fields: Partial<typeof base>): TransferSummary => {
    const summary = { ...base, ...fields };
    const durationMs = performance.now() - started;
    const seconds = Math.max(1e-3, durationMs / 1000);
    return { ...summary, durationMs, objectsPerSecond: (summary.transferred + summary.deleted) / seconds, bytesPerSecond: summary.bytes / seconds };
  };

  // What is there: the size for the progress, and for a delete whether the key is an object at all.
  let size = 0;
  if (job.kind === 'put') size = (await stat(file as string)).size;
  else {
    const sourceBucket = job.kind === 'copy' ? job.sourceBucket : job.bucket;
    const sourceKey = job.kind === 'copy' ? job.sourceKey : job.key;
    const info = await headObject({ ...connection, bucket: sourceBucket, key: sourceKey, signal });
    if (info === undefined) {
      const under = (await remove(`s3://${sourceBucket}/${sourceKey}/`, { ...connection, dryRun: true, signal })).planned;
      const prefixHint = under > 0 ? ` but a prefix of ${under} object${under === 1 ? '' : 's'}: add --recursive (-r) to ${job.kind === 'delete' ? 'delete' : 'copy'} ${under === 1 ? 'it' : 'them all'}` : '';
      if (job.kind === 'delete') {
        if (under > 0) throw new UsageError(`${uri} is not an object${prefixHint}`);
        context.note(`nothing to delete: there is no object ${uri}`);
        return finish({ planned: 0 });
      }
      const failure: TransferFailure = { key: sourceKey, code: 'ERR_S3_NOT_FOUND', message: under > 0 ? `${from} is not an object${prefixHint}` : `there is no object ${from}` };
      return finish({ failed: 1, failures: [failure] });
    }
    size = info.size;
  }
  if (options.dryRun === true) {
    return job.kind === 'delete' ? finish({ deleted: 1, actions: [{ action, to: uri, size }] }) : finish({ transferred: 1, actions: [{ action, from, to, size }] });
  }

  let moved = 0;
  const report = (object?: TransferProgress['object'], failed = 0): void => {
    const seconds = Math.max(1e-3, (performance.now() - started) / 1000);
    const done = object === undefined ? 0 : 1;
    context.onProgress({ objectsDone: done, objectsTotal: 1, bytesDone: moved, bytesTotal: Math.max(size, moved), failed, unchanged: 0, elapsedMs: seconds * 1000, objectsPerSecond: done / seconds, bytesPerSecond: moved / seconds, object });
  };
  const settings = {
    ...connection,
    partSize: options.partSize,
    multipartThreshold: options.multipartThreshold,
    partConcurrency: options.partConcurrency,
    retries: options.retries,
    signal,
    onProgress: (bytes: number) => {
      moved = bytes;
      report();
    },
  };
  const key = job.kind === 'copy' ? job.sourceKey : job.key;
  try {
    switch (job.kind) {
      case 'put':
        moved = (await uploadFile({ ...settings, bucket: job.bucket, key: job.key, file: file as string })).bytes;
        break;
      case 'get':
        moved = (await downloadFile({ ...settings, bucket: job.bucket, key: job.key, file: file as string })).bytes;
        break;
      case 'copy':
        moved = (await copyObject({ ...settings, sourceBucket: job.sourceBucket, sourceKey: job.sourceKey, bucket: job.bucket, key: job.key })).bytes;
        break;
      case 'delete':
        await deleteObject({ ...connection, retries: options.retries, signal, bucket: job.bucket, key: job.key });
        report({ action, key, size });
        return finish({ deleted: 1 });
    }
    report({ action, key, path: file, size: moved });
    return finish({ transferred: 1, bytes: moved });
  } catch (error) {
    if (signal.aborted) return finish({ interrupted: true });
    if (!isS3TransferError(error)) throw error;
    const failure: TransferFailure = { key, path: file, code: error.code, message: error.message };
    report({ action, key, path: file, size, error: failure }, 1);
    return finish({ failed: 1, failures: [failure] });
  }
}
