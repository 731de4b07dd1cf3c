/**
 * The public operations: the bulk ones (`upload`, `download`, `copy`, `sync`, `remove`) and the
 * single-object ones (`uploadFile`, `downloadFile`) they are built from.
 */
import { DeleteObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createS3Client, type S3ConnectionOptions } from './client.js';
import { S3TransferError } from './errors.js';
import { getFile, putFile, serverCopy, statObject, type ObjectInfo, type ObjectSettings, type ObjectTransfer } from './objects.js';
import { aborts, retrying, toTransferError } from './retry.js';
import { resolvePartOptions, type PartOptions, type SyncOptions, type TransferOptions, type TransferSummary } from './options.js';
import { runBulk } from './run.js';

/**
 * Uploads every file under `directory` to `destination` (`s3://bucket/prefix`), keys being the
 * prefix plus the path relative to `directory` with `/` separators (`aws s3 cp --recursive`).
 *
 * @example const summary = await upload('./site', 's3://my-bucket/site/', { concurrency: 32, exclude: ['**\/.git/**'] });
 */
export function upload(directory: string, destination: string, options: TransferOptions = {}): Promise<TransferSummary> {
  return runBulk('upload', directory, destination, options, ['local->s3']);
}

/**
 * Downloads every object under `source` (`s3://bucket/prefix`) into `directory`, paths being
 * the keys without the prefix. Keys that would land outside `directory` are refused and listed
 * in the summary's failures; files appear only once complete and verified.
 *
 * @example await download('s3://my-bucket/photos/', './photos', { include: ['**\/*.jpg'] });
 */
export function download(source: string, directory: string, options: TransferOptions = {}): Promise<TransferSummary> {
  return runBulk('download', source, directory, options, ['s3->local']);
}

/**
 * Copies every object under `source` to `destination` on the server (CopyObject; UploadPartCopy
 * in parallel parts for large objects): the bytes never pass through this machine.
 *
 * @example await copy('s3://old-bucket/data/', 's3://new-bucket/archive/data/');
 */
export function copy(source: string, destination: string, options: TransferOptions = {}): Promise<TransferSummary> {
  return runBulk('copy', source, destination, options, ['s3->s3']);
}

/**
 * Makes `destination` like `source`, transferring only what differs (see `compare`), in either
 * direction or between two S3 locations; with `delete`, also removes what the source lacks.
 * Running it again after an interruption finishes the job.
 *
 * @example await sync('./build', 's3://my-bucket/www/', { delete: true, exclude: ['*.map'] });
 */
export function sync(source: string, destination: string, options: SyncOptions = {}): Promise<TransferSummary> {
  return runBulk('sync', source, destination, options, ['local->s3', 's3->local', 's3->s3']);
}

/**
 * Deletes every object under `target` (`s3://bucket/prefix`; filtered by `include`/`exclude`),
 * 1,000 per request.
 *
 * @example await remove('s3://my-bucket/tmp/', { dryRun: true });
 */
export function remove(target: string, options: TransferOptions = {}): Promise<TransferSummary> {
  return runBulk('remove', target, target, options, ['s3->s3']);
}

/** How to reach S3 and move one object: the options every single-object function takes. */
export interface ObjectOptions extends S3ConnectionOptions, PartOptions {
  /** The client; else one is made from the connection options and destroyed afterwards. */
  readonly client?: S3Client | undefined;
  /** Aborts the transfer (a multipart upload is aborted, a partial download removed). */
  readonly signal?: AbortSignal | undefined;
  /** Bytes moved so far, as they move. */
  readonly onProgress?: ((bytes: number) => void) | undefined;
}

/** Options of {@link uploadFile} and {@link downloadFile}. */
export interface FileTransferOptions extends ObjectOptions {
  /** The bucket. */
  readonly bucket: string;
  /** The object's key. */
  readonly key: string;
  /** The local file. */
  readonly file: string;
  /** Uploads: the Content-Type (else from the file's extension). */
  readonly contentType?: string | undefined;
  /** Uploads: user metadata (`x-amz-meta-*`). */
  readonly metadata?: Readonly<Record<string, string>> | undefined;
}

/** Options of {@link copyObject}. */
export interface ObjectCopyOptions extends ObjectOptions {
  /** The source's bucket. */
  readonly sourceBucket: string;
  /** The source's key. */
  readonly sourceKey: string;
  /** The destination's bucket. */
  readonly bucket: string;
  /** The destination's key. */
  readonly key: string;
}

/** Options of {@link deleteObject} and {@link headObject}. */
export interface ObjectDeleteOptions extends Pick<ObjectOptions, keyof S3ConnectionOptions | 'client' | 'retries' | 'signal'> {
  /** The bucket. */
  readonly bucket: string;
  /** The key. */
  readonly key: string;
}

function objectSettings(options: ObjectOptions, required: readonly string[]): { client: S3Client; own: boolean; settings: ObjectSettings } {
  if (typeof options !== 'object' || options === null) throw new TypeError(`options must be an object with ${required.join(', ')}`);
  for (const name of required) {
    const value = (options as Record<string, unknown>)[name];
    if (typeof value !== 'string' || value === '') throw new TypeError(`${name} must be a non-empty string, got ${JSON.stringify(value)}`);
  }
  let moved = 0;
  const onProgress = options.onProgress;
  const settings: ObjectSettings = {
    ...resolvePartOptions(options),
    signal: options.signal,
    onBytes: onProgress === undefined ? undefined : (delta) => onProgress((moved += delta)),
  };
  const client = options.client ?? createS3Client(options);
  return { client, own: options.client === undefined, settings };
}

/**
 * Uploads one file to `s3://bucket/key`, multipart (parts in parallel) from
 * `multipartThreshold` on, every part checked with Content-MD5; a failed multipart upload is
 * aborted. boto3's `upload_file`, for use with `executor.submit`.
 *
 * @example await executor.submit(uploadFile, { client, bucket: 'b', key: 'a.txt', file: './a.txt' });
 */
export async function uploadFile(options: FileTransferOptions): Promise<ObjectTransfer> {
  const { client, own, settings } = objectSettings(options, ['bucket', 'key', 'file']);
  try {
    return await putFile(client, settings, { path: options.file, bucket: options.bucket, key: options.key, contentType: options.contentType, metadata: options.metadata });
  } finally {
    if (own) client.destroy();
  }
}

/**
 * Downloads `s3://bucket/key` to a file, as parallel ranged GETs from `multipartThreshold` on,
 * into a temporary file renamed over `file` once complete and verified against the ETag.
 * boto3's `download_file`.
 *
 * @example await executor.submit(downloadFile, { client, bucket: 'b', key: 'a.txt', file: './a.txt' });
 */
export async function downloadFile(options: FileTransferOptions): Promise<ObjectTransfer> {
  const { client, own, settings } = objectSettings(options, ['bucket', 'key', 'file']);
  try {
    return await getFile(client, settings, { bucket: options.bucket, key: options.key, path: options.file });
  } finally {
    if (own) client.destroy();
  }
}

/**
 * Copies `s3://sourceBucket/sourceKey` to `s3://bucket/key` on the server (CopyObject, or
 * UploadPartCopy in parallel parts from `multipartThreshold` on, keeping type and metadata).
 *
 * @example await copyObject({ client, sourceBucket: 'b', sourceKey: 'a.jpg', bucket: 'b', key: 'archive/a.jpg' });
 */
export async function copyObject(options: ObjectCopyOptions): Promise<ObjectTransfer> {
  const { client, own, settings } = objectSettings(options, ['sourceBucket', 'sourceKey', 'bucket', 'key']);
  try {
    const source = await statObject(client, settings, options.sourceBucket, options.sourceKey);
    if (source === undefined) throw new S3TransferError('ERR_S3_NOT_FOUND', `copying s3://${options.sourceBucket}/${options.sourceKey}: there is no such object`, { key: options.sourceKey, status: 404 });
    const { size, etag } = source;
    return await serverCopy(client, settings, { from: { bucket: options.sourceBucket, key: options.sourceKey, size, etag }, to: { bucket: options.bucket, key: options.key } });
  } finally {
    if (own) client.destroy();
  }
}

/**
 * Deletes `s3://bucket/key` (nothing happens when there is no such object, as in S3).
 *
 * @example await deleteObject({ client, bucket: 'b', key: 'tmp/a.txt' });
 */
export async function deleteObject(options: ObjectDeleteOptions): Promise<void> {
  const { client, own, settings } = objectSettings(options, ['bucket', 'key']);
  try {
    await retrying(settings, () => client.send(new DeleteObjectCommand({ Bucket: options.bucket, Key: options.key }), aborts(settings.signal)));
  } catch (error) {
    throw toTransferError(error, { key: options.key, doing: `deleting in bucket ${options.bucket}:` }, settings.signal);
  } finally {
    if (own) client.destroy();
  }
}

/**
 * What S3 knows of `s3://bucket/key` (size, ETag, LastModified, type, metadata), or
 * `undefined` when there is no such object (a missing bucket is an `ERR_S3_NOT_FOUND` error).
 *
 * @example const info = await headObject({ client, bucket: 'b', key: 'a.txt' }); if (info) console.log(info.size);
 */
export async function headObject(options: ObjectDeleteOptions): Promise<ObjectInfo | undefined> {
  const { client, own, settings } = objectSettings(options, ['bucket', 'key']);
  try {
    return await statObject(client, settings, options.bucket, options.key);
  } finally {
    if (own) client.destroy();
  }
}
