/**
 * One object's transfer: upload a file (one PutObject, or multipart with parts in parallel),
 * download to a file (one GET, or parallel ranged GETs), server-side copy (CopyObject, or
 * UploadPartCopy). Every byte is checked: Content-MD5 on each request body (the server checks
 * it), and the ETag — the MD5 of a single-part object, or the MD5 of the parts' MD5s for a
 * multipart one — against what was sent or received. A failed multipart upload is aborted; a
 * download goes to a temporary file beside the target, renamed only once complete and verified.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm, utimes, writeFile, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  UploadPartCommand,
  UploadPartCopyCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { isS3TransferError, S3TransferError } from './errors.js';
import { eachLimited } from './limit.js';
import { unquote } from './list.js';
import { contentTypeFor } from './mime.js';
import { MAX_PARTS } from './options.js';
import { assertRealDirectoryInside } from './paths.js';
import { aborts, retrying, toTransferError } from './retry.js';

/** User metadata: the part size of a multipart upload, so a download can check the multipart ETag. */
export const META_PART_SIZE = 'futures-part-size';

/** How one object moves. */
export interface ObjectSettings {
  /** Bytes per part or range. */
  readonly partSize: number;
  /** From this size on: multipart / ranged. */
  readonly multipartThreshold: number;
  /** Parts or ranges in flight at once. */
  readonly partConcurrency: number;
  /** Retries per request beyond the SDK's. */
  readonly retries: number;
  /** Aborts everything in flight. */
  readonly signal?: AbortSignal | undefined;
  /** Bytes moved (negative when a failed try's bytes are taken back). */
  readonly onBytes?: ((delta: number) => void) | undefined;
  /**
   * Directories a download already made and found inside its target in this run (a run of
   * thousands of small files would otherwise repeat `mkdir` and `realpath` for every file).
   */
  readonly directories?: Set<string> | undefined;
}

/** What moving one object did. */
export interface ObjectTransfer {
  /** The destination bucket (for downloads, the source). */
  readonly bucket: string;
  /** The destination key (for downloads, the source). */
  readonly key: string;
  /** The local file, for uploads and downloads. */
  readonly path?: string | undefined;
  /** Bytes. */
  readonly bytes: number;
  /** Requests that carried data: 1, or the number of parts or ranges. */
  readonly parts: number;
  /**
   * How the content was checked end to end: `'md5'` (the object's MD5 ETag), `'multipart-md5'`
   * (every part's MD5, and the multipart ETag computed over them), or `'size'` (the server gave
   * no usable ETag, e.g. an encrypted object or an unknown part size; only the size was checked).
   */
  readonly verified: 'md5' | 'multipart-md5' | 'size';
  /** The object's ETag (without quotes), `''` if the server gave none. */
  readonly etag: string;
}

/** How much a download's file stream buffers before it waits (the socket's chunks are coalesced into writes). */
const WRITE_BUFFER = 1024 * 1024;

const md5 = (data: Uint8Array): Buffer => createHash('md5').update(data).digest();

/** The multipart ETag for parts with these MD5s: MD5 of the concatenated digests, `-`, the count. */
export function multipartEtag(partMd5s: readonly Buffer[]): string {
  return `${md5(Buffer.concat(partMd5s)).toString('hex')}-${partMd5s.length}`;
}

const PLAIN_MD5 = /^[0-9a-f]{32}$/;

/** What an answer says about encryption: with SSE-KMS or SSE-C, the ETag is not the content's MD5. */
interface Encryption {
  readonly ServerSideEncryption?: string | undefined;
  readonly SSECustomerAlgorithm?: string | undefined;
}

/** True when `etag` is the MD5 of the content (or, with `-N`, built from the parts' MD5s). */
function md5Etag(etag: string, encryption: Encryption): boolean {
  return (PLAIN_MD5.test(etag) || MULTIPART.test(etag)) && !String(encryption.ServerSideEncryption ?? '').startsWith('aws:kms') && encryption.SSECustomerAlgorithm === undefined;
}
const MULTIPART = /^[0-9a-f]{32}-(\d+)$/;

function mismatch(key: string, what: string, expected: string, got: string, path?: string): S3TransferError {
  return new S3TransferError('ERR_S3_CHECKSUM_MISMATCH', `${what} ${key}: checksum mismatch (expected ${expected}, got ${got})`, { key, path });
}

/** `bucket/key` as CopySource wants it (URL-encoded, `/` kept). */
function copySource(bucket: string, key: string): string {
  return `${bucket}/${encodeURIComponent(key).replaceAll('%2F', '/')}`;
}

/** A part size that keeps `size` within {@link MAX_PARTS} parts (whole MiB). */
function fittingPartSize(size: number, partSize: number): number {
  if (Math.ceil(size / partSize) <= MAX_PARTS) return partSize;
  const MiB = 1024 * 1024;
  return Math.ceil(size / MAX_PARTS / MiB) * MiB;
}

async function readAt(file: FileHandle, length: number, position: number, path: string, key: string): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await file.read(buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) throw new S3TransferError('ERR_S3_SOURCE_CHANGED', `uploading ${path}: the file shrank while it was being read`, { key, path });
    filled += bytesRead;
  }
  return buffer;
}

/** What to upload where. */
export interface PutFileJob {
  readonly path: string;
  readonly bucket: string;
  readonly key: string;
  /** Overrides the type guessed from the extension. */
  readonly contentType?: string | undefined;
  /** More user metadata. */
  readonly metadata?: Readonly<Record<string, string>> | undefined;
}

/** Uploads one file (multipart from `multipartThreshold` on). */
export async function putFile(client: S3Client, settings: ObjectSettings, job: PutFileJob): Promise<ObjectTransfer> {
  const { path, key } = job;
  const { signal } = settings;
  let file: FileHandle | undefined;
  try {
    file = await open(path, 'r');
    const before = await file.stat();
    const contentType = job.contentType ?? contentTypeFor(path);
    const metadata = { ...job.metadata };
    const result =
      before.size < settings.multipartThreshold
        ? await putSingle(client, settings, file, { ...job, size: before.size, contentType, metadata })
        : await putMultipart(client, settings, file, { ...job, size: before.size, contentType, metadata });
    const after = await file.stat();
    if (after.size !== before.size || after.mtimeMs !== before.mtimeMs) {
      throw new S3TransferError('ERR_S3_SOURCE_CHANGED', `uploading ${path}: the file changed while it was being uploaded (run again to upload the new version)`, { key, path });
    }
    return result;
  } catch (error) {
    throw toTransferError(error, { key, path, doing: 'uploading' }, signal);
  } finally {
    await file?.close();
  }
}

interface SizedPut extends PutFileJob {
  readonly size: number;
  readonly contentType: string;
  readonly metadata: Record<string, string>;
}

async function putSingle(client: S3Client, settings: ObjectSettings, file: FileHandle, job: SizedPut): Promise<ObjectTransfer> {
  const body = await readAt(file, job.size, 0, job.path, job.key);
  const digest = md5(body);
  const hex = digest.toString('hex');
  const response = await retrying(settings, async () => {
    const answer = await client.send(
      new PutObjectCommand({ Bucket: job.bucket, Key: job.key, Body: body, ContentLength: body.length, ContentMD5: digest.toString('base64'), ContentType: job.contentType, Metadata: job.metadata }),
      aborts(settings.signal),
    );
    const etag = unquote(answer.ETag);
    if (PLAIN_MD5.test(etag) && md5Etag(etag, answer) && etag !== hex) throw mismatch(job.key, 'uploading', hex, etag, job.path);
    return answer;
  });
  settings.onBytes?.(body.length);
  return { bucket: job.bucket, key: job.key, path: job.path, bytes: body.length, parts: 1, verified: 'md5', etag: unquote(response.ETag) || hex };
}

async function putMultipart(client: S3Client, settings: ObjectSettings, file: FileHandle, job: SizedPut): Promise<ObjectTransfer> {
  const partSize = fittingPartSize(job.size, settings.partSize);
  const count = Math.ceil(job.size / partSize);
  const created = await retrying(settings, () =>
    client.send(
      new CreateMultipartUploadCommand({ Bucket: job.bucket, Key: job.key, ContentType: job.contentType, Metadata: { ...job.metadata, [META_PART_SIZE]: String(partSize) } }),
      aborts(settings.signal),
    ),
  );
  const uploadId = created.UploadId;
  if (uploadId === undefined) throw new S3TransferError('ERR_S3_REQUEST', `uploading ${job.key}: the server started a multipart upload without an UploadId`, { key: job.key, path: job.path });
  try {
    const digests: Buffer[] = new Array<Buffer>(count);
    const etags: string[] = new Array<string>(count);
    await eachLimited(count, settings.partConcurrency, settings.signal, async (index, signal) => {
      const offset = index * partSize;
      const body = await readAt(file, Math.min(partSize, job.size - offset), offset, job.path, job.key);
      const digest = md5(body);
      const hex = digest.toString('hex');
      const answer = await retrying({ ...settings, signal }, async () => {
        const part = await client.send(
          new UploadPartCommand({ Bucket: job.bucket, Key: job.key, UploadId: uploadId, PartNumber: index + 1, Body: body, ContentLength: body.length, ContentMD5: digest.toString('base64') }),
          aborts(signal),
        );
        const etag = unquote(part.ETag);
        if (PLAIN_MD5.test(etag) && md5Etag(etag, part) && etag !== hex) throw mismatch(job.key, `uploading part ${index + 1} of`, hex, etag, job.path);
        return part;
      });
      digests[index] = digest;
      etags[index] = answer.ETag ?? `"${hex}"`;
      settings.onBytes?.(body.length);
    });
    const expected = multipartEtag(digests);
    const done = await retrying(settings, () =>
      client.send(
        new CompleteMultipartUploadCommand({ Bucket: job.bucket, Key: job.key, UploadId: uploadId, MultipartUpload: { Parts: etags.map((ETag, index) => ({ ETag, PartNumber: index + 1 })) } }),
        aborts(settings.signal),
      ),
    );
    // Some servers (Ceph's radosgw among them) answer CompleteMultipartUpload with an empty
    // ETag; every part's MD5 was checked by the server, and by us against its part ETag.
    const etag = unquote(done.ETag);
    if (MULTIPART.test(etag) && md5Etag(etag, done) && etag !== expected) throw mismatch(job.key, 'uploading', expected, etag, job.path);
    return { bucket: job.bucket, key: job.key, path: job.path, bytes: job.size, parts: count, verified: 'multipart-md5', etag: etag || expected };
  } catch (error) {
    await abortMultipart(client, settings.retries, job.bucket, job.key, uploadId);
    throw error;
  }
}

/** Aborts a multipart upload, retrying, even when the run was aborted (so no parts are left behind). */
async function abortMultipart(client: S3Client, retries: number, bucket: string, key: string, uploadId: string): Promise<void> {
  try {
    await retrying({ retries: Math.max(retries, 3) }, () => client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId })));
  } catch {
    // The server will still expire it by its lifecycle rules; the object's own error is the one to report.
  }
}

/** What to download where. */
export interface GetFileJob {
  readonly bucket: string;
  readonly key: string;
  /** The target file. */
  readonly path: string;
  /** Size and ETag from the listing; without them a HEAD finds them. */
  readonly size?: number | undefined;
  readonly etag?: string | undefined;
  /** The real path of the target root: the file's directory must lie under it (no symlinked way out). */
  readonly realRoot?: string | undefined;
}

interface ObjectHead {
  readonly size: number;
  readonly etag: string;
  readonly metadata: Record<string, string>;
  readonly lastModifiedMs: number;
  readonly contentType: string | undefined;
  /** The ETag is the content's MD5 (or multipart MD5): no SSE-KMS, no SSE-C. */
  readonly md5: boolean;
}

async function head(client: S3Client, settings: ObjectSettings, bucket: string, key: string, partNumber?: number): Promise<ObjectHead> {
  const answer = await retrying(settings, () => client.send(new HeadObjectCommand({ Bucket: bucket, Key: key, PartNumber: partNumber }), aborts(settings.signal)));
  const etag = unquote(answer.ETag);
  return { size: answer.ContentLength ?? 0, etag, metadata: answer.Metadata ?? {}, lastModifiedMs: answer.LastModified?.getTime() ?? Date.now(), contentType: answer.ContentType, md5: md5Etag(etag, answer) };
}

/**
 * The mtime a downloaded file gets: the object's LastModified (as `aws s3` does), so that `sync`
 * sees it as up to date in either direction afterwards.
 */
function mtimeFrom(lastModified: Date | number | undefined): number | undefined {
  return lastModified === undefined ? undefined : typeof lastModified === 'number' ? lastModified : lastModified.getTime();
}

/** Downloads one object to `job.path` (ranged GETs in parallel from `multipartThreshold` on, or for multipart objects). */
export async function getFile(client: S3Client, settings: ObjectSettings, job: GetFileJob): Promise<ObjectTransfer> {
  const { bucket, key, path } = job;
  const directory = dirname(path);
  const temp = join(directory, `.${basename(path)}.${randomBytes(6).toString('hex')}.futures-partial`);
  try {
    if (settings.directories?.has(directory) !== true) {
      await mkdir(directory, { recursive: true });
      if (job.realRoot !== undefined) await assertRealDirectoryInside(job.realRoot, directory, key);
      settings.directories?.add(directory);
    }
    let size = job.size;
    let etag = job.etag;
    let known: ObjectHead | undefined;
    if (size === undefined || etag === undefined) {
      known = await head(client, settings, bucket, key);
      size = known.size;
      etag = known.etag;
    }
    const whole = size < settings.multipartThreshold && !MULTIPART.test(etag);
    const outcome = whole
      ? await getSingle(client, settings, job, temp, size, etag)
      : // Each range is retried on its own; a mismatch of the whole (which range was damaged is not
        // known) fetches every range again.
        await retrying({ ...settings, retryIf: (error) => isS3TransferError(error, 'ERR_S3_CHECKSUM_MISMATCH') }, () => getRanged(client, settings, job, temp, size, etag, known));
    if (outcome.mtimeMs !== undefined) await utimes(temp, new Date(), new Date(outcome.mtimeMs));
    await rename(temp, path);
    return { bucket, key, path, bytes: size, parts: outcome.parts, verified: outcome.verified, etag };
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw toTransferError(error, { key, path, doing: 'downloading' }, settings.signal);
  }
}

interface GetOutcome {
  readonly parts: number;
  readonly verified: ObjectTransfer['verified'];
  readonly mtimeMs: number | undefined;
}

/** One GET of `[start, end]` (or the whole object), streamed to `write`; returns the body's MD5 and metadata. */
async function getBody(
  client: S3Client,
  settings: ObjectSettings,
  signal: AbortSignal | undefined,
  job: GetFileJob,
  etag: string,
  range: { readonly start: number; readonly end: number } | undefined,
  expectedLength: number,
  target: () => Writable,
): Promise<{ digest: Buffer; lastModified: Date | undefined; encryption: Encryption }> {
  let moved = 0;
  try {
    const answer = await client.send(
      new GetObjectCommand({ Bucket: job.bucket, Key: job.key, Range: range === undefined ? undefined : `bytes=${range.start}-${range.end}`, IfMatch: etag === '' ? undefined : `"${etag}"` }),
      aborts(signal),
    );
    const body = answer.Body as Readable | undefined;
    if (body === undefined) throw new S3TransferError('ERR_S3_REQUEST', `downloading ${job.key}: the server sent no body`, { key: job.key, path: job.path });
    const hash = createHash('md5');
    // Hashed and counted as the chunks flow into the file: a stream pipe, no promise per chunk.
    body.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      moved += chunk.length;
      settings.onBytes?.(chunk.length);
    });
    await pipeline(body, target(), signal === undefined ? {} : { signal });
    if (moved !== expectedLength) {
      throw new S3TransferError('ERR_S3_CHECKSUM_MISMATCH', `downloading ${job.key}: got ${moved} bytes${range === undefined ? '' : ` of range ${range.start}-${range.end}`}, expected ${expectedLength}`, { key: job.key, path: job.path });
    }
    return { digest: hash.digest(), lastModified: answer.LastModified, encryption: answer };
  } catch (error) {
    if (moved > 0) settings.onBytes?.(-moved);
    throw error;
  }
}

async function getSingle(client: S3Client, settings: ObjectSettings, job: GetFileJob, temp: string, size: number, etag: string): Promise<GetOutcome> {
  return retrying(settings, async () => {
    const got = await getBody(client, settings, settings.signal, job, etag, undefined, size, () => createWriteStream(temp, { highWaterMark: WRITE_BUFFER }));
    const hex = got.digest.toString('hex');
    const checkable = PLAIN_MD5.test(etag) && md5Etag(etag, got.encryption);
    if (checkable && hex !== etag) throw mismatch(job.key, 'downloading', etag, hex, job.path);
    return { parts: 1, verified: checkable ? 'md5' : 'size', mtimeMs: mtimeFrom(got.lastModified) };
  });
}

/**
 * The part size a multipart ETag (`<md5>-parts`) of an object of `size` bytes was computed
 * over, when it can be found: our metadata (from `known`, or a HEAD), else part 1's size
 * (`HEAD ?partNumber=1`; some servers, Ceph's radosgw among them, ignore it and answer with the
 * whole object, which then does not fit). `undefined`: only the size can be checked.
 */
export async function uploadedPartSize(client: S3Client, settings: ObjectSettings, bucket: string, key: string, size: number, parts: number, known?: { readonly metadata: Record<string, string> }): Promise<number | undefined> {
  const fits = (partSize: number): boolean => Number.isInteger(partSize) && partSize > 0 && Math.ceil(size / partSize) === parts;
  const stored = Number((known ?? (await head(client, settings, bucket, key))).metadata[META_PART_SIZE]);
  if (fits(stored)) return stored;
  try {
    const first = await head(client, settings, bucket, key, 1);
    if (fits(first.size)) return first.size;
  } catch {
    // The server does not answer per-part HEADs.
  }
  return undefined;
}

async function getRanged(client: S3Client, settings: ObjectSettings, job: GetFileJob, temp: string, size: number, etag: string, known: ObjectHead | undefined): Promise<GetOutcome> {
  const multipart = MULTIPART.exec(etag);
  const info = known ?? (await head(client, settings, job.bucket, job.key));
  if (etag !== '' && info.etag !== '' && info.etag !== etag) {
    throw new S3TransferError('ERR_S3_SOURCE_CHANGED', `downloading ${job.key}: the object changed since it was listed (ETag ${etag} → ${info.etag})`, { key: job.key, path: job.path });
  }
  const uploaded = multipart === null || !info.md5 ? undefined : await uploadedPartSize(client, settings, job.bucket, job.key, size, Number(multipart[1]), info);
  const rangeSize = uploaded ?? settings.partSize;
  const count = Math.max(1, Math.ceil(size / rangeSize));
  const digests: Buffer[] = new Array<Buffer>(count);
  await writeFile(temp, ''); // each range writes its own part of it
  if (size > 0) {
      await eachLimited(count, settings.partConcurrency, settings.signal, async (index, signal) => {
        const start = index * rangeSize;
        const end = Math.min(size, start + rangeSize) - 1;
        await retrying({ ...settings, signal }, async () => {
          const got = await getBody(client, settings, signal, job, etag, { start, end }, end - start + 1, () => createWriteStream(temp, { flags: 'r+', start, highWaterMark: WRITE_BUFFER }));
          digests[index] = got.digest;
        });
      });
  }
  let verified: ObjectTransfer['verified'] = 'size';
  if (!info.md5) {
    // SSE-KMS or SSE-C: the ETag says nothing about the bytes; the size was checked range by range.
  } else if (multipart !== null && uploaded !== undefined) {
    const computed = multipartEtag(digests);
    if (computed !== etag) throw mismatch(job.key, 'downloading', etag, computed, job.path);
    verified = 'multipart-md5';
  } else if (PLAIN_MD5.test(etag)) {
    const computed = await fileMd5(temp);
    if (computed !== etag) throw mismatch(job.key, 'downloading', etag, computed, job.path);
    verified = 'md5';
  }
  return { parts: count, verified, mtimeMs: mtimeFrom(info.lastModifiedMs) };
}

/** The MD5 of a whole file, hex. */
export async function fileMd5(path: string, start = 0, end?: number): Promise<string> {
  const hash = createHash('md5');
  for await (const chunk of createReadStream(path, { start, end, highWaterMark: 1024 * 1024 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * The ETag `path` would get if uploaded with parts of `partSize` (or whole, `partSize` 0):
 * for `sync --compare checksum`.
 */
export async function localEtag(path: string, size: number, partSize: number): Promise<string> {
  if (partSize <= 0 || size === 0) return fileMd5(path);
  const digests: Buffer[] = [];
  for (let start = 0; start < size; start += partSize) digests.push(Buffer.from(await fileMd5(path, start, Math.min(size, start + partSize) - 1), 'hex'));
  return multipartEtag(digests);
}

/** What to copy where, server-side. */
export interface CopyJob {
  readonly from: { readonly bucket: string; readonly key: string; readonly size: number; readonly etag: string };
  readonly to: { readonly bucket: string; readonly key: string };
}

/** What a HEAD tells of an object. */
export interface ObjectInfo {
  /** Bytes. */
  readonly size: number;
  /** The ETag without quotes. */
  readonly etag: string;
  /** Last modification, ms since the epoch. */
  readonly lastModifiedMs: number;
  /** The Content-Type. */
  readonly contentType: string | undefined;
  /** User metadata (`x-amz-meta-*`, names lowercased). */
  readonly metadata: Readonly<Record<string, string>>;
}

/** The object's size, ETag, type and metadata (a HEAD); `undefined` when there is no such object. */
export async function statObject(client: S3Client, settings: ObjectSettings, bucket: string, key: string): Promise<ObjectInfo | undefined> {
  try {
    const { size, etag, lastModifiedMs, contentType, metadata } = await head(client, settings, bucket, key);
    return { size, etag, lastModifiedMs, contentType, metadata };
  } catch (error) {
    const failure = toTransferError(error, { key, doing: `reading in bucket ${bucket}:` }, settings.signal);
    // A missing key is an answer; a missing bucket is not (HEAD has no body, so tell them apart by the bucket's own HEAD).
    if (failure.code === 'ERR_S3_NOT_FOUND' && (await bucketExists(client, settings, bucket))) return undefined;
    throw failure;
  }
}

async function bucketExists(client: S3Client, settings: ObjectSettings, bucket: string): Promise<boolean> {
  try {
    await retrying(settings, () => client.send(new HeadBucketCommand({ Bucket: bucket }), aborts(settings.signal)));
    return true;
  } catch (error) {
    if (toTransferError(error, { key: '', doing: '' }).code === 'ERR_S3_NOT_FOUND') return false;
    throw toTransferError(error, { key: bucket, doing: 'reading the bucket' }, settings.signal);
  }
}

/** Copies one object on the server (UploadPartCopy in parallel parts from `multipartThreshold` on). */
export async function serverCopy(client: S3Client, settings: ObjectSettings, job: CopyJob): Promise<ObjectTransfer> {
  const { from, to } = job;
  const ifMatch = from.etag === '' ? undefined : `"${from.etag}"`;
  try {
    if (from.size < settings.multipartThreshold) {
      const answer = await retrying(settings, () =>
        client.send(new CopyObjectCommand({ Bucket: to.bucket, Key: to.key, CopySource: copySource(from.bucket, from.key), CopySourceIfMatch: ifMatch, MetadataDirective: 'COPY' }), aborts(settings.signal)),
      );
      // The server copied the bytes; equal MD5 ETags confirm it. (They may differ without harm when
      // either side is encrypted with SSE-KMS or SSE-C, so a difference is not an error.)
      const etag = unquote(answer.CopyObjectResult?.ETag);
      settings.onBytes?.(from.size);
      return { bucket: to.bucket, key: to.key, bytes: from.size, parts: 1, verified: PLAIN_MD5.test(etag) && etag === from.etag ? 'md5' : 'size', etag };
    }
    return await copyMultipart(client, settings, job, ifMatch);
  } catch (error) {
    throw toTransferError(error, { key: from.key, doing: `copying to s3://${to.bucket}/${to.key} from` }, settings.signal);
  }
}

async function copyMultipart(client: S3Client, settings: ObjectSettings, job: CopyJob, ifMatch: string | undefined): Promise<ObjectTransfer> {
  const { from, to } = job;
  // A multipart copy does not carry the metadata over by itself: read it, and give it to the new upload.
  const source = await head(client, settings, from.bucket, from.key);
  if (from.etag !== '' && source.etag !== '' && source.etag !== from.etag) {
    throw new S3TransferError('ERR_S3_SOURCE_CHANGED', `copying ${from.key}: the object changed since it was listed`, { key: from.key });
  }
  const partSize = fittingPartSize(from.size, settings.partSize);
  const count = Math.ceil(from.size / partSize);
  const created = await retrying(settings, () =>
    client.send(new CreateMultipartUploadCommand({ Bucket: to.bucket, Key: to.key, ContentType: source.contentType, Metadata: { ...source.metadata, [META_PART_SIZE]: String(partSize) } }), aborts(settings.signal)),
  );
  const uploadId = created.UploadId;
  if (uploadId === undefined) throw new S3TransferError('ERR_S3_REQUEST', `copying ${from.key}: the server started a multipart upload without an UploadId`, { key: from.key });
  try {
    const etags: string[] = new Array<string>(count);
    await eachLimited(count, settings.partConcurrency, settings.signal, async (index, signal) => {
      const start = index * partSize;
      const end = Math.min(from.size, start + partSize) - 1;
      const answer = await retrying({ ...settings, signal }, () =>
        client.send(
          new UploadPartCopyCommand({ Bucket: to.bucket, Key: to.key, UploadId: uploadId, PartNumber: index + 1, CopySource: copySource(from.bucket, from.key), CopySourceRange: `bytes=${start}-${end}`, CopySourceIfMatch: ifMatch }),
          aborts(signal),
        ),
      );
      const etag = answer.CopyPartResult?.ETag;
      if (etag === undefined) throw new S3TransferError('ERR_S3_REQUEST', `copying part ${index + 1} of ${from.key}: the server gave no ETag`, { key: from.key });
      etags[index] = etag;
      settings.onBytes?.(end - start + 1);
    });
    await retrying(settings, () =>
      client.send(
        new CompleteMultipartUploadCommand({ Bucket: to.bucket, Key: to.key, UploadId: uploadId, MultipartUpload: { Parts: etags.map((ETag, index) => ({ ETag, PartNumber: index + 1 })) } }),
        aborts(settings.signal),
      ),
    );
  } catch (error) {
    await abortMultipart(client, settings.retries, to.bucket, to.key, uploadId);
    throw error;
  }
  const copied = await head(client, settings, to.bucket, to.key);
  if (copied.size !== from.size) throw mismatch(to.key, 'copying to', `${from.size} bytes`, `${copied.size} bytes`);
  return { bucket: to.bucket, key: to.key, bytes: from.size, parts: count, verified: 'size', etag: copied.etag };
}
