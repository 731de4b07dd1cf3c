/**
 * What must never happen, against the real server: a key writing outside the target, a
 * multipart upload left behind, a partial file under the final name, lost work on a transient
 * failure. Faults come from a real proxy in front of the server (fault-proxy.ts).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { download, downloadFile, sync, upload } from '../src/index.ts';
import { startFaultProxy, type FaultProxy } from './fault-proxy.ts';
import { listMultipartUploads, s3Connection, SMALL_PARTS, useTestBucket } from './helpers.ts';

const MiB = 1024 * 1024;
const fixture = useTestBucket('safety');
let client: S3Client;
let bucket: string;
let work: string;
beforeEach(() => {
  ({ client, bucket, work } = fixture);
});

/** A fault proxy in front of the server for each test of the calling `describe`; gives the connection through it. */
function useFaultProxy(onStart: (proxy: FaultProxy) => void): () => ReturnType<typeof s3Connection> {
  let proxy: FaultProxy | undefined;
  beforeEach(async () => {
    proxy = await startFaultProxy(s3Connection().endpoint);
    onStart(proxy);
  });
  afterEach(async () => {
    await proxy?.close();
  });
  return () => ({ ...s3Connection(), endpoint: (proxy as FaultProxy).endpoint });
}

async function put(key: string, data: string | Buffer): Promise<void> {
  await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: data }));
}

describe('downloads stay inside the target directory', () => {
  it('refuses ../, absolute, ..\\ and NUL-free tricks, lists them, and downloads the rest', async () => {
    const hostile = ['p/../../escape.txt', 'p/..\\..\\escape2.txt', 'p//etc/passwd', 'p/a/./b.txt'];
    for (const key of hostile) await put(key, 'evil');
    await put('p/good/file.txt', 'good');
    const listed = (await client.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents?.map((o) => o.Key);
    expect(listed).toEqual(expect.arrayContaining(hostile)); // the server keeps such keys as they are

    const target = join(work, 'deep/target');
    const summary = await download(`s3://${bucket}/p/`, target, s3Connection());
    expect(summary).toMatchObject({ transferred: 1, failed: hostile.length });
    expect(summary.failures.map((f) => f.key).sort()).toEqual([...hostile].sort());
    for (const failure of summary.failures) {
      expect(failure.code).toBe('ERR_S3_UNSAFE_KEY');
      expect(failure.message).toContain(JSON.stringify(failure.key));
    }
    expect(await readFile(join(target, 'good/file.txt'), 'utf8')).toBe('good');
    expect(await readdir(work, { recursive: true })).toEqual(['deep', 'deep/target', 'deep/target/good', 'deep/target/good/file.txt']);
  });

  it('refuses to write through a symlinked directory inside the target that leads out of it', async () => {
    const target = join(work, 'target');
    const outside = join(work, 'outside');
    await mkdir(target);
    await mkdir(outside);
    await symlink(outside, join(target, 'link'));
    await put('q/link/planted.txt', 'evil');
    await put('q/fine.txt', 'fine');
    const summary = await download(`s3://${bucket}/q/`, target, s3Connection());
    expect(summary.failures).toEqual([expect.objectContaining({ key: 'q/link/planted.txt', code: 'ERR_S3_UNSAFE_KEY' })]);
    expect(await readdir(outside)).toEqual([]);
    expect(await readFile(join(target, 'fine.txt'), 'utf8')).toBe('fine');
  });
});

describe('aborting', () => {
  it('an aborted upload leaves no multipart upload behind and says it was interrupted', async () => {
    const source = join(work, 'source');
    await mkdir(source);
    for (let i = 0; i < 3; i++) await writeFile(join(source, `big${i}.bin`), randomBytes(15 * MiB));
    const controller = new AbortController();
    const summary = await upload(source, `s3://${bucket}/a`, {
      ...s3Connection(),
      ...SMALL_PARTS,
      partConcurrency: 1,
      signal: controller.signal,
      onProgress: (p) => p.bytesDone > 0 && controller.abort(),
    });
    expect(summary.interrupted).toBe(true);
    expect(summary.transferred).toBeLessThan(3);
    expect(summary.failures).toEqual([]); // stopped objects are not failures of their own
    expect(await listMultipartUploads(client, bucket)).toEqual([]);

    // Running the job again as a sync finishes it: only what is missing is sent.
    const resumed = await sync(source, `s3://${bucket}/a`, { ...s3Connection(), ...SMALL_PARTS });
    expect(resumed).toMatchObject({ transferred: 3 - summary.transferred, unchanged: summary.transferred, failed: 0, interrupted: false });
  });

  it('an aborted download leaves no partial file', async () => {
    await put('d/big.bin', randomBytes(20 * MiB));
    const controller = new AbortController();
    const target = join(work, 'target');
    const summary = await download(`s3://${bucket}/d/`, target, { ...s3Connection(), ...SMALL_PARTS, partConcurrency: 1, signal: controller.signal, onProgress: (p) => p.bytesDone > 0 && controller.abort() });
    expect(summary.interrupted).toBe(true);
    expect(await readdir(target)).toEqual([]);
  });
});

describe('transient failures (through a fault proxy)', () => {
  let proxy: FaultProxy;
  const viaProxy = useFaultProxy((started) => (proxy = started));

  it('retries a part that got 503 SlowDown beyond what the SDK retries, and the upload completes', async () => {
    const source = join(work, 'source');
    await mkdir(source);
    const data = randomBytes(12 * MiB);
    await writeFile(join(source, 'big.bin'), data);
    proxy.plan([{ method: 'PUT', match: (r) => r.query.get('partNumber') === '2', fault: { status: 503, code: 'SlowDown' }, times: 5 }]);
    const summary = await upload(source, `s3://${bucket}/t`, { ...viaProxy(), ...SMALL_PARTS, maxAttempts: 2, retries: 3 });
    expect(summary).toMatchObject({ transferred: 1, failed: 0 });
    expect(proxy.requests.filter((r) => r.fault !== undefined)).toHaveLength(5); // 2 SDK attempts × 2 of our retries, + 1
    const part = proxy.requests.find((r) => r.method === 'PUT' && r.query.has('partNumber'));
    expect(part?.headers['content-md5']).toMatch(/^[A-Za-z0-9+/]{22}==$/); // the server checks every part's MD5,
    expect(part?.headers['x-amz-content-sha256']).toBe('UNSIGNED-PAYLOAD'); // so the body is not hashed a second time
    const back = join(work, 'back.bin');
    await downloadFile({ ...s3Connection(), bucket, key: 't/big.bin', file: back });
    expect((await readFile(back)).equals(data)).toBe(true);
  });

  it('a part that keeps failing fails its object only; its multipart upload is aborted', async () => {
    const source = join(work, 'source');
    await mkdir(source);
    await writeFile(join(source, 'big.bin'), randomBytes(11 * MiB));
    await writeFile(join(source, 'small.txt'), 'small');
    proxy.plan([{ method: 'PUT', match: (r) => r.query.get('partNumber') === '2', fault: { status: 503, code: 'SlowDown' }, times: 1_000 }]);
    const summary = await upload(source, `s3://${bucket}/f`, { ...viaProxy(), ...SMALL_PARTS, maxAttempts: 1, retries: 2 });
    expect(summary).toMatchObject({ transferred: 1, failed: 1 });
    expect(summary.failures).toEqual([expect.objectContaining({ key: 'f/big.bin', code: 'ERR_S3_REQUEST' })]);
    expect(summary.failures[0]?.message).toMatch(/SlowDown|503/);
    expect(proxy.requests.some((r) => r.method === 'DELETE' && r.query.has('uploadId'))).toBe(true); // AbortMultipartUpload
  });

  it('a connection reset in the middle of a body is retried, for ranged and whole GETs, and the files verify', async () => {
    const big = randomBytes(12 * MiB);
    const small = randomBytes(300_000);
    await put('g/big.bin', big);
    await put('g/small.bin', small);
    proxy.plan([
      { method: 'GET', match: (r) => r.headers.range === 'bytes=5242880-10485759', fault: { resetAfterResponseBytes: 1_000_000 }, times: 1 },
      { method: 'GET', match: (r) => r.path.endsWith('/g/small.bin'), fault: { resetAfterResponseBytes: 100_000 }, times: 1 },
    ]);
    const target = join(work, 'target');
    const summary = await download(`s3://${bucket}/g/`, target, { ...viaProxy(), ...SMALL_PARTS, maxAttempts: 1 });
    expect(summary).toMatchObject({ transferred: 2, failed: 0 });
    expect(proxy.requests.filter((r) => r.fault !== undefined)).toHaveLength(2);
    expect((await readFile(join(target, 'big.bin'))).equals(big)).toBe(true);
    expect((await readFile(join(target, 'small.bin'))).equals(small)).toBe(true);
    expect(summary.bytes).toBe(big.length + small.length); // bytes of the cut tries are not counted twice
  });
});

describe('damaged bytes (through a fault proxy that flips one byte)', () => {
  let proxy: FaultProxy;
  const viaProxy = useFaultProxy((started) => (proxy = started));

  it('a damaged body is caught by the MD5 check and fetched again; the file is right', async () => {
    const data = randomBytes(200_000);
    await put('x/one.bin', data);
    proxy.plan([{ method: 'GET', key: 'x/one.bin', fault: { corruptResponseByte: 12_345 }, times: 1 }]);
    const file = join(work, 'one.bin');
    const result = await downloadFile({ ...viaProxy(), bucket, key: 'x/one.bin', file });
    expect(result.verified).toBe('md5');
    expect(proxy.requests.filter((r) => r.method === 'GET')).toHaveLength(2);
    expect((await readFile(file)).equals(data)).toBe(true);
  });

  it('a range damaged once is caught by the multipart ETag check, and the object fetched again', async () => {
    const data = randomBytes(11 * MiB);
    await writeFile(join(work, 'big.bin'), data);
    await upload(work, `s3://${bucket}/z`, { ...s3Connection(), ...SMALL_PARTS });
    proxy.plan([{ method: 'GET', match: (r) => r.headers.range === 'bytes=0-5242879', fault: { corruptResponseByte: 4_000_000 }, times: 1 }]);
    const file = join(work, 'back.bin');
    const result = await downloadFile({ ...viaProxy(), ...SMALL_PARTS, bucket, key: 'z/big.bin', file });
    expect(result.verified).toBe('multipart-md5');
    expect((await readFile(file)).equals(data)).toBe(true);
  });

  it('a range damaged every time fails with ERR_S3_CHECKSUM_MISMATCH and leaves no file', async () => {
    const data = randomBytes(11 * MiB); // multipart, so its ETag is checked over the parts
    const source = join(work, 'big.bin');
    await writeFile(source, data);
    await upload(work, `s3://${bucket}/y`, { ...s3Connection(), ...SMALL_PARTS });
    proxy.plan([{ method: 'GET', match: (r) => r.headers.range === 'bytes=5242880-10485759', fault: { corruptResponseByte: 1 }, times: 100 }]);
    const target = join(work, 'target');
    const summary = await download(`s3://${bucket}/y/`, target, { ...viaProxy(), ...SMALL_PARTS, retries: 2 });
    expect(summary.failures).toEqual([expect.objectContaining({ key: 'y/big.bin', code: 'ERR_S3_CHECKSUM_MISMATCH' })]);
    expect(proxy.requests.filter((r) => r.fault !== undefined)).toHaveLength(3); // the whole object fetched again twice
    expect(await readdir(target)).toEqual([]);
  });
});
