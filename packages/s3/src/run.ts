/**
 * A bulk run: list both sides, plan (what to transfer, what is unchanged, what to delete),
 * then run one task per object on the executor with `concurrency` in flight, count progress,
 * and sum up. A failed object is listed in the summary and the others go on.
 */
import { setMaxListeners } from 'node:events';
import { mkdir, realpath, rm, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DeleteObjectsCommand, type S3Client } from '@aws-sdk/client-s3';
import { AsyncExecutor } from '@futures/async';
import { taskRef, type Executor } from '@futures/core';
import { actionKey, runAction, type ObjectAction } from './actions.js';
import { createS3Client, type S3ConnectionOptions } from './client.js';
import { S3TransferError } from './errors.js';
import { createFilter } from './filter.js';
import { listObjects, type RemoteObject } from './list.js';
import { walkTree, type LocalFile } from './local.js';
import { localEtag, uploadedPartSize, type ObjectSettings, type ObjectTransfer } from './objects.js';
import { resolveOptions, type ObjectOutcome, type PlannedAction, type ResolvedOptions, type SkippedEntry, type SyncOptions, type TransferFailure, type TransferProgress, type TransferSummary } from './options.js';
import { localPathFor } from './paths.js';
import { aborts, retrying, toTransferError } from './retry.js';
import type { TransferObjectJob, TransferObjectOutcome } from './tasks.js';
import { directoryPrefix, formatS3Uri, isS3Uri, parseS3Uri, type S3Location } from './uri.js';

/** A local or S3 side of a run. */
type Side = { readonly kind: 'local'; readonly path: string } | { readonly kind: 's3'; readonly location: S3Location };

function side(text: string, role: string): Side {
  if (typeof text !== 'string' || text === '') throw new TypeError(`${role} must be a local path or an s3://bucket/prefix URI, got ${JSON.stringify(text)}`);
  if (isS3Uri(text)) {
    const location = parseS3Uri(text);
    return { kind: 's3', location: { bucket: location.bucket, prefix: directoryPrefix(location.prefix) } };
  }
  return { kind: 'local', path: resolve(text) };
}

function describeSide(s: Side): string {
  return s.kind === 'local' ? s.path : formatS3Uri(s.location);
}

/** A planned delete. */
type Deletion = { readonly kind: 's3'; readonly bucket: string; readonly key: string; readonly size: number } | { readonly kind: 'local'; readonly path: string; readonly size: number };

interface Plan {
  readonly transfers: ObjectAction[];
  readonly deletions: Deletion[];
  unchanged: number;
  readonly skipped: SkippedEntry[];
  readonly failures: TransferFailure[];
}

/** Everything a run needs, resolved. */
interface Run {
  readonly operation: TransferSummary['operation'];
  readonly source: Side;
  readonly destination: Side;
  readonly options: SyncOptions;
  readonly resolved: ResolvedOptions;
  readonly client: S3Client;
  readonly signal: AbortSignal | undefined;
}

/** Runs `operation` from `source` to `destination` (the same for `remove`). */
export async function runBulk(operation: TransferSummary['operation'], sourceText: string, destinationText: string, options: SyncOptions, allowed: ReadonlyArray<`${Side['kind']}->${Side['kind']}`>): Promise<TransferSummary> {
  const resolved = resolveOptions(options);
  const source = side(sourceText, 'source');
  const destination = operation === 'remove' ? source : side(destinationText, 'destination');
  const direction = `${source.kind}->${destination.kind}` as const;
  if (!allowed.includes(direction)) {
    throw new TypeError(`${operation} goes ${allowed.map((d) => d.replace('local', 'a local directory').replace('s3', 'S3').replace('->', ' to ')).join(' or ')}, not from ${describeSide(source)} to ${describeSide(destination)}`);
  }
  const executor = options.executor;
  if (executor !== undefined && !executor.capabilities.plainFunctions && options.client !== undefined) {
    throw new TypeError(`client cannot be sent to the workers of ${executor.toString()}: give the connection options (endpoint, region, credentials) instead, and each worker makes its own client`);
  }
  const started = performance.now();
  const ownClient = options.client === undefined;
  const client = options.client ?? createS3Client(connectionOf(options, resolved));
  // One internal signal per run, linked once to the caller's: every request in flight listens to
  // it (more than Node's default of 10 listeners per signal, by design).
  const stop = new AbortController();
  setMaxListeners(0, stop.signal);
  const forward = (): void => stop.abort(options.signal?.reason);
  if (options.signal?.aborted === true) forward();
  else options.signal?.addEventListener('abort', forward, { once: true });
  const run: Run = { operation, source, destination, options, resolved, client, signal: options.signal === undefined ? undefined : stop.signal };
  try {
    options.signal?.throwIfAborted();
    const plan = await makePlan(run);
    return await execute(run, plan, started);
  } catch (error) {
    if (options.signal?.aborted === true && !(error instanceof S3TransferError && error.code !== 'ERR_S3_ABORTED')) {
      throw new S3TransferError('ERR_S3_ABORTED', `${operation} of ${describeSide(source)} was aborted while listing`, {}, { cause: options.signal.reason });
    }
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', forward);
    if (ownClient) client.destroy();
  }
}

function connectionOf(options: SyncOptions, resolved: ResolvedOptions): S3ConnectionOptions {
  const { endpoint, region, credentials, forcePathStyle, maxAttempts } = options;
  // Enough sockets for every part in flight, so no request waits for a socket behind a slow one.
  const maxSockets = options.maxSockets ?? Math.max(64, resolved.concurrency * Math.min(resolved.partConcurrency, 4) + 8);
  return Object.fromEntries(Object.entries({ endpoint, region, credentials, forcePathStyle, maxAttempts, maxSockets }).filter(([, value]) => value !== undefined)) as S3ConnectionOptions;
}

async function makePlan(run: Run): Promise<Plan> {
  const { source, destination, resolved, client, signal } = run;
  const filter = createFilter(run.options);
  const sync = run.operation === 'sync';
  const plan: Plan = { transfers: [], deletions: [], unchanged: 0, skipped: [], failures: [] };

  if (run.operation === 'remove') {
    if (source.kind !== 's3') throw new TypeError('remove works on S3 locations only');
    for (const object of await listObjects(client, source.location, filter, resolved.retries, signal)) plan.deletions.push({ kind: 's3', bucket: source.location.bucket, key: object.key, size: object.size });
    return plan;
  }

  if (source.kind === 'local' && destination.kind === 's3') {
    const tree = await walkTree(source.path, filter, resolved.symlinks, false, signal);
    plan.skipped.push(...tree.skipped);
    const existing = sync ? byRelative(await listObjects(client, destination.location, filter, resolved.retries, signal)) : undefined;
    for (const file of tree.files) {
      const remote = existing?.get(file.relative);
      existing?.delete(file.relative);
      if (remote !== undefined && (await sameLocalRemote(run, file, remote, 'upload'))) plan.unchanged++;
      else plan.transfers.push({ kind: 'upload', path: file.path, bucket: destination.location.bucket, key: destination.location.prefix + file.relative, size: file.size });
    }
    if (resolved.delete && existing !== undefined) for (const remote of existing.values()) plan.deletions.push({ kind: 's3', bucket: destination.location.bucket, key: remote.key, size: remote.size });
    return plan;
  }

  if (source.kind === 's3' && destination.kind === 'local') {
    const objects = await listObjects(client, source.location, filter, resolved.retries, signal);
    const local = sync ? await walkTree(destination.path, filter, 'skip', true, signal) : undefined;
    const existing = local === undefined ? undefined : new Map(local.files.map((file) => [file.relative, file]));
    let realRoot: string | undefined;
    for (const object of objects) {
      let path: string;
      try {
        path = localPathFor(destination.path, object.relative, object.key);
      } catch (error) {
        const failure = error as S3TransferError;
        plan.failures.push({ key: object.key, code: failure.code, message: failure.message });
        continue;
      }
      const file = existing?.get(object.relative);
      existing?.delete(object.relative);
      if (file !== undefined && (await sameLocalRemote(run, file, object, 'download'))) {
        plan.unchanged++;
        continue;
      }
      realRoot ??= run.resolved.dryRun ? destination.path : await realTarget(destination.path);
      plan.transfers.push({ kind: 'download', bucket: source.location.bucket, key: object.key, path, size: object.size, etag: object.etag, realRoot });
    }
    if (resolved.delete && existing !== undefined && plan.failures.length === 0) for (const file of existing.values()) plan.deletions.push({ kind: 'local', path: file.path, size: file.size });
    return plan;
  }

  if (source.kind === 's3' && destination.kind === 's3') {
    const objects = await listObjects(client, source.location, filter, resolved.retries, signal);
    const existing = sync ? byRelative(await listObjects(client, destination.location, filter, resolved.retries, signal)) : undefined;
    for (const object of objects) {
      const key = destination.location.prefix + object.relative;
      if (object.key === key && source.location.bucket === destination.location.bucket) {
        plan.skipped.push({ name: object.key, reason: 'source and destination are the same object' });
        continue;
      }
      const target = existing?.get(object.relative);
      existing?.delete(object.relative);
      if (target !== undefined && sameRemoteRemote(run, object, target)) plan.unchanged++;
      else plan.transfers.push({ kind: 'copy', from: { bucket: source.location.bucket, key: object.key, size: object.size, etag: object.etag }, to: { bucket: destination.location.bucket, key } });
    }
    if (resolved.delete && existing !== undefined) for (const remote of existing.values()) plan.deletions.push({ kind: 's3', bucket: destination.location.bucket, key: remote.key, size: remote.size });
    return plan;
  }
  throw new TypeError(`${run.operation} needs at least one S3 location (s3://bucket/prefix)`);
}

/** Creates the target directory and gives its real path (downloads must land under it). */
async function realTarget(path: string): Promise<string> {
  try {
    await mkdir(path, { recursive: true });
    const info = await stat(path);
    if (!info.isDirectory()) throw new Error('not a directory');
    return await realpath(path);
  } catch (error) {
    throw new S3TransferError('ERR_S3_LOCAL_IO', `cannot use ${path} as the target directory: ${(error as Error).message}`, { path }, { cause: error });
  }
}

function byRelative(objects: readonly RemoteObject[]): Map<string, RemoteObject> {
  return new Map(objects.map((object) => [object.relative, object]));
}

/** S3's LastModified has whole seconds on some servers: a second's slack. */
const MTIME_SLACK_MS = 1_000;

async function sameLocalRemote(run: Run, file: LocalFile, remote: RemoteObject, direction: 'upload' | 'download'): Promise<boolean> {
  if (file.size !== remote.size) return false;
  switch (run.resolved.compare) {
    case 'size':
      return true;
    case 'size-mtime':
      // Upload: the object was written after the file last changed. Download: the file is at
      // least as new as the object (a download sets the file's mtime to the object's).
      return direction === 'upload' ? remote.lastModifiedMs + MTIME_SLACK_MS > file.mtimeMs : file.mtimeMs + MTIME_SLACK_MS > remote.lastModifiedMs;
    case 'checksum': {
      if (remote.etag === '') return false;
      const parts = /-(\d+)$/.exec(remote.etag);
      const partSize = parts === null ? 0 : await remotePartSize(run, remote, Number(parts[1]));
      if (partSize === undefined) return false;
      return (await localEtag(file.path, file.size, partSize)) === remote.etag;
    }
  }
}

function remotePartSize(run: Run, remote: RemoteObject, parts: number): Promise<number | undefined> {
  const bucket = run.source.kind === 's3' ? run.source.location.bucket : run.destination.kind === 's3' ? run.destination.location.bucket : '';
  return uploadedPartSize(run.client, objectSettings(run), bucket, remote.key, remote.size, parts);
}

function sameRemoteRemote(run: Run, source: RemoteObject, target: RemoteObject): boolean {
  if (source.size !== target.size) return false;
  switch (run.resolved.compare) {
    case 'size':
      return true;
    case 'size-mtime':
      return target.lastModifiedMs + MTIME_SLACK_MS > source.lastModifiedMs;
    case 'checksum':
      return source.etag !== '' && source.etag === target.etag;
  }
}

function plannedActions(plan: Plan): PlannedAction[] {
  const actions: PlannedAction[] = plan.transfers.map((action) => {
    switch (action.kind) {
      case 'upload':
        return { action: 'upload', from: action.path, to: `s3://${action.bucket}/${action.key}`, size: action.size };
      case 'download':
        return { action: 'download', from: `s3://${action.bucket}/${action.key}`, to: action.path, size: action.size };
      case 'copy':
        return { action: 'copy', from: `s3://${action.from.bucket}/${action.from.key}`, to: `s3://${action.to.bucket}/${action.to.key}`, size: action.from.size };
    }
  });
  for (const deletion of plan.deletions) actions.push({ action: 'delete', to: deletion.kind === 's3' ? `s3://${deletion.bucket}/${deletion.key}` : deletion.path, size: deletion.size });
  return actions;
}

/** Counts and reports progress. */
class Tally {
  objectsDone = 0;
  bytesDone = 0;
  failed = 0;
  unchanged = 0;
  transferred = 0;
  deleted = 0;
  readonly failures: TransferFailure[] = [];
  #lastReport = 0;
  readonly #transfersStarted = performance.now();

  constructor(
    readonly started: number,
    readonly objectsTotal: number,
    readonly bytesTotal: number,
    readonly onProgress: ((progress: TransferProgress) => void) | undefined,
  ) {}

  bytes(delta: number): void {
    this.bytesDone += delta;
    if (this.onProgress === undefined) return;
    const now = performance.now();
    if (now - this.#lastReport >= 100) this.report(undefined, now);
  }

  object(outcome: ObjectOutcome): void {
    this.objectsDone++;
    if (outcome.error !== undefined) {
      this.failed++;
      this.failures.push(outcome.error);
    } else if (outcome.action === 'unchanged') this.unchanged++;
    else if (outcome.action === 'delete') this.deleted++;
    else this.transferred++;
    this.report(outcome, performance.now());
  }

  report(object: ObjectOutcome | undefined, now: number): void {
    if (this.onProgress === undefined) return;
    this.#lastReport = now;
    const seconds = Math.max(1e-3, (now - this.#transfersStarted) / 1000);
    const progress: TransferProgress = {
      objectsDone: this.objectsDone,
      objectsTotal: this.objectsTotal,
      bytesDone: this.bytesDone,
      bytesTotal: this.bytesTotal,
      failed: this.failed,
      unchanged: this.unchanged,
      elapsedMs: now - this.started,
      objectsPerSecond: this.objectsDone / seconds,
      bytesPerSecond: this.bytesDone / seconds,
      object,
    };
    try {
      this.onProgress(progress);
    } catch (error) {
      // A throwing progress callback must not lose the run's work: report it once, asynchronously.
      queueMicrotask(() => {
        throw error;
      });
    }
  }
}

async function execute(run: Run, plan: Plan, started: number): Promise<TransferSummary> {
  const { resolved } = run;
  const bytesTotal = plan.transfers.reduce((sum, action) => sum + (action.kind === 'copy' ? action.from.size : action.size), 0);
  const objectsTotal = plan.transfers.length + plan.deletions.length + plan.unchanged + plan.failures.length;
  const tally = new Tally(started, objectsTotal, bytesTotal, run.options.onProgress);
  for (const failure of plan.failures) tally.object({ action: run.source.kind === 's3' ? 'download' : 'upload', key: failure.key, size: 0, error: failure });
  tally.unchanged = plan.unchanged;
  tally.objectsDone += plan.unchanged;

  if (resolved.dryRun) {
    tally.transferred = plan.transfers.length;
    tally.deleted = plan.deletions.length;
    tally.bytesDone = 0;
    return summarize(run, plan, tally, started, plannedActions(plan));
  }

  await runTransfers(run, plan.transfers, tally);
  if (plan.deletions.length > 0) {
    if (run.operation === 'sync' && tally.failed > 0) {
      plan.skipped.push({ name: describeSide(run.destination), reason: `${plan.deletions.length} deletions not done because ${tally.failed} transfers failed (run again once they succeed)` });
    } else if (run.signal?.aborted !== true) {
      await runDeletions(run, plan.deletions, tally);
    }
  }
  return summarize(run, plan, tally, started, []);
}

function summarize(run: Run, plan: Plan, tally: Tally, started: number, actions: PlannedAction[]): TransferSummary {
  const durationMs = performance.now() - started;
  const seconds = Math.max(1e-3, durationMs / 1000);
  return {
    operation: run.operation,
    source: describeSide(run.source),
    destination: describeSide(run.destination),
    dryRun: run.resolved.dryRun,
    interrupted: run.signal?.aborted === true,
    planned: plan.transfers.length + plan.deletions.length,
    transferred: tally.transferred,
    unchanged: tally.unchanged,
    deleted: tally.deleted,
    failed: tally.failed,
    bytes: tally.bytesDone,
    durationMs,
    objectsPerSecond: (tally.transferred + tally.deleted) / seconds,
    bytesPerSecond: tally.bytesDone / seconds,
    failures: tally.failures,
    skipped: plan.skipped,
    actions,
  };
}

/** The task module: `tasks.ts` when these sources run as TypeScript (tests), `tasks.js` once built. */
const TASK_MODULE = new URL(import.meta.url.endsWith('.ts') ? './tasks.ts' : './tasks.js', import.meta.url);
/** How each object moves, from the run's options. */
function objectSettings(run: Run): ObjectSettings {
  const { partSize, multipartThreshold, partConcurrency, retries } = run.resolved;
  return { partSize, multipartThreshold, partConcurrency, retries, signal: run.signal };
}

const TRANSFER_TASK = taskRef<[TransferObjectJob], TransferObjectOutcome>(TASK_MODULE, 'transferObject');

async function runTransfers(run: Run, transfers: readonly ObjectAction[], tally: Tally): Promise<void> {
  if (transfers.length === 0) return;
  const { resolved, signal } = run;
  const owned = run.options.executor === undefined;
  const executor: Executor = run.options.executor ?? new AsyncExecutor({ maxWorkers: resolved.concurrency });
  const inProcess = executor.capabilities.plainFunctions;
  const settings: ObjectSettings = { ...objectSettings(run), onBytes: (delta) => tally.bytes(delta), directories: new Set() };
  const connection = connectionOf(run.options, resolved);
  const { partSize, multipartThreshold, partConcurrency, retries } = resolved;
  const job = (action: ObjectAction): TransferObjectJob => ({ connection, settings: { partSize, multipartThreshold, partConcurrency, retries }, action });

  async function one(action: ObjectAction): Promise<void> {
    const key = actionKey(action);
    const path = action.kind === 'copy' ? undefined : action.path;
    const size = action.kind === 'copy' ? action.from.size : action.size;
    try {
      let transfer: ObjectTransfer;
      if (inProcess) {
        transfer = await executor.submit(() => runAction(run.client, settings, action));
      } else {
        const outcome = await executor.submitWith({ signal }, TRANSFER_TASK, job(action));
        if (!outcome.ok) throw new S3TransferError(outcome.code, outcome.message, { key, path });
        transfer = outcome.transfer;
        tally.bytes(transfer.bytes);
      }
      tally.object({ action: action.kind, key, path, size: transfer.bytes });
    } catch (error) {
      const failure = toTransferError(error, { key, path, doing: action.kind === 'copy' ? 'copying' : `${action.kind}ing` }, signal);
      if (failure.code === 'ERR_S3_ABORTED' && signal?.aborted === true) return; // not a failure of the object: the run stopped
      tally.object({ action: action.kind, key, path, size, error: { key, path, code: failure.code, message: failure.message } });
    }
  }

  let next = 0;
  async function lane(): Promise<void> {
    while (next < transfers.length && signal?.aborted !== true) await one(transfers[next++] as ObjectAction);
  }
  try {
    await Promise.all(Array.from({ length: Math.min(resolved.concurrency, transfers.length) }, lane));
  } finally {
    if (owned) await executor.shutdown({ cancelFutures: true });
  }
}

async function runDeletions(run: Run, deletions: readonly Deletion[], tally: Tally): Promise<void> {
  const local = deletions.filter((d): d is Extract<Deletion, { kind: 'local' }> => d.kind === 'local');
  for (const deletion of local) {
    if (run.signal?.aborted === true) return;
    try {
      await rm(deletion.path);
      tally.object({ action: 'delete', key: deletion.path, path: deletion.path, size: deletion.size });
    } catch (error) {
      const failure = toTransferError(error, { key: deletion.path, path: deletion.path, doing: 'deleting' });
      tally.object({ action: 'delete', key: deletion.path, path: deletion.path, size: deletion.size, error: { key: deletion.path, path: deletion.path, code: failure.code, message: failure.message } });
    }
  }
  const remote = deletions.filter((d): d is Extract<Deletion, { kind: 's3' }> => d.kind === 's3');
  const batches: (typeof remote)[] = [];
  for (let start = 0; start < remote.length; start += 1000) batches.push(remote.slice(start, start + 1000));
  let next = 0;
  async function lane(): Promise<void> {
    while (next < batches.length && run.signal?.aborted !== true) await deleteBatch(run, batches[next++] ?? [], tally);
  }
  await Promise.all(Array.from({ length: Math.min(4, batches.length) }, lane));
}

async function deleteBatch(run: Run, batch: readonly Extract<Deletion, { kind: 's3' }>[], tally: Tally): Promise<void> {
  const bucket = batch[0]?.bucket;
  if (bucket === undefined) return;
  const sizes = new Map(batch.map((d) => [d.key, d.size]));
  try {
    const answer = await retrying({ retries: run.resolved.retries, signal: run.signal }, () =>
      run.client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: batch.map((d) => ({ Key: d.key })), Quiet: false } }), aborts(run.signal)),
    );
    const failed = new Set<string>();
    for (const error of answer.Errors ?? []) {
      const key = error.Key ?? '';
      failed.add(key);
      tally.object({ action: 'delete', key, size: sizes.get(key) ?? 0, error: { key, code: error.Code === 'AccessDenied' ? 'ERR_S3_ACCESS_DENIED' : 'ERR_S3_REQUEST', message: `deleting ${key}: ${error.Code ?? 'Error'}: ${error.Message ?? ''}` } });
    }
    for (const d of batch) if (!failed.has(d.key)) tally.object({ action: 'delete', key: d.key, size: d.size });
  } catch (error) {
    if (run.signal?.aborted === true) return;
    const failure = toTransferError(error, { key: batch[0]?.key ?? '', doing: `deleting ${batch.length} objects from ${bucket}, starting with` });
    for (const d of batch) tally.object({ action: 'delete', key: d.key, size: d.size, error: { key: d.key, code: failure.code, message: failure.message } });
  }
}
