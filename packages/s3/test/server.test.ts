/**
 * The test infrastructure itself: the S3 server from global-setup.ts works through the SDK the
 * way the library uses it, and the fault proxy relays faithfully and injects exactly what is planned.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFaultProxy, type FaultProxy } from './fault-proxy.ts';
import { emptyAndDeleteBucket, freshBucket, listMultipartUploads, s3Connection, testClient } from './helpers.ts';

const MiB = 1024 * 1024;

let direct: S3Client;
let bucket: string;
let proxy: FaultProxy;
let viaProxy: S3Client; // the SDK's default retries
let once: S3Client; // maxAttempts: 1, so every injected fault is seen

beforeAll(async () => {
  direct = testClient();
  proxy = await startFaultProxy(s3Connection().endpoint);
  viaProxy = testClient({ endpoint: proxy.endpoint });
  once = testClient({ endpoint: proxy.endpoint, maxAttempts: 1 });
});
afterAll(async () => {
  for (const client of [direct, viaProxy, once]) client?.destroy();
  await proxy?.close();
});
beforeEach(async () => {
  bucket = await freshBucket(direct, 'server-test');
  proxy.plan([]);
  proxy.requests.length = 0;
});
afterEach(async () => {
  expect(await listMultipartUploads(direct, bucket)).toEqual([]);
  await emptyAndDeleteBucket(direct, bucket);
});

const md5 = (data: Buffer): string => createHash('md5').update(data).digest('hex');

async function getBytes(client: S3Client, key: string, range?: string): Promise<Buffer> {
  const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key, ...(range ? { Range: range } : {}) }));
  return Buffer.from(await response.Body!.transformToByteArray());
}

describe('the S3 server', () => {
  it('answers with the credentials global-setup provides', async () => {
    const { endpoint, region, credentials } = s3Connection();
    expect(endpoint).toMatch(/^https?:\/\//);
    expect(region).not.toBe('');
    expect(credentials.accessKeyId).not.toBe('');
    const listed = await direct.send(new ListObjectsV2Command({ Bucket: bucket }));
    expect(listed.KeyCount ?? 0).toBe(0);
  });
});

describe('the fault proxy with no faults planned', () => {
  it('relays PutObject and GetObject byte for byte (keys with spaces and unicode too)', async () => {
    const data = randomBytes(3 * MiB + 7);
    const key = 'dir/a key with spaces & ünïcode+plus.bin';
    const put = await viaProxy.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: data, Metadata: { origin: 'proxy' } }));
    expect(put.ETag).toBe(`"${md5(data)}"`);
    expect((await getBytes(viaProxy, key)).equals(data)).toBe(true);
    expect((await getBytes(direct, key)).equals(data)).toBe(true);
    const head = await viaProxy.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    expect(head.ContentLength).toBe(data.length);
    expect(head.Metadata).toEqual({ origin: 'proxy' });
    expect(proxy.requests.map((r) => r.method)).toEqual(['PUT', 'GET', 'HEAD']);
    expect(proxy.requests[0]).toMatchObject({ bucket, key, status: 200 });
  });

  it('relays a multipart upload, ranged GETs, CopyObject and ListObjectsV2', async () => {
    const parts = [randomBytes(5 * MiB), randomBytes(5 * MiB), randomBytes(1234)];
    const whole = Buffer.concat(parts);
    const { UploadId } = await viaProxy.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'big.bin' }));
    const etags: string[] = [];
    for (const [index, body] of parts.entries()) {
      const part = await viaProxy.send(
        new UploadPartCommand({ Bucket: bucket, Key: 'big.bin', UploadId, PartNumber: index + 1, Body: body }),
      );
      etags.push(part.ETag!);
    }
    await viaProxy.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: 'big.bin',
        UploadId,
        MultipartUpload: { Parts: etags.map((ETag, index) => ({ ETag, PartNumber: index + 1 })) },
      }),
    );
    expect(proxy.requests.filter((r) => r.query.has('partNumber')).map((r) => r.query.get('partNumber'))).toEqual(['1', '2', '3']);

    expect((await getBytes(viaProxy, 'big.bin')).equals(whole)).toBe(true);
    const from = 5 * MiB - 10;
    expect((await getBytes(viaProxy, 'big.bin', `bytes=${from}-${from + 99}`)).equals(whole.subarray(from, from + 100))).toBe(true);
    expect((await getBytes(viaProxy, 'big.bin', 'bytes=-1000')).equals(whole.subarray(-1000))).toBe(true);

    await viaProxy.send(new CopyObjectCommand({ Bucket: bucket, Key: 'copy.bin', CopySource: `${bucket}/big.bin` }));
    expect((await getBytes(direct, 'copy.bin')).equals(whole)).toBe(true);

    const listed = await viaProxy.send(new ListObjectsV2Command({ Bucket: bucket }));
    expect(listed.Contents?.map((o) => [o.Key, o.Size])).toEqual([
      ['big.bin', whole.length],
      ['copy.bin', whole.length],
    ]);
    // The usual "<md5 of the parts' md5s>-<parts>" ETag (radosgw 16's CompleteMultipartUpload answer itself has an empty one).
    const expected = createHash('md5')
      .update(Buffer.concat(parts.map((part) => createHash('md5').update(part).digest())))
      .digest('hex');
    expect(listed.Contents?.[0]?.ETag).toBe(`"${expected}-3"`);
    expect(proxy.requests.every((r) => r.fault === undefined && r.status !== undefined && r.status < 300)).toBe(true);
  });
});

describe('the fault proxy injects exactly what is planned', () => {
  it('answers 503 SlowDown the planned number of times, then relays again', async () => {
    proxy.plan([{ method: 'PUT', key: 'slow.txt', times: 2, fault: { status: 503, code: 'SlowDown' } }]);
    const put = (): Promise<unknown> => once.send(new PutObjectCommand({ Bucket: bucket, Key: 'slow.txt', Body: 'slow' }));
    for (let attempt = 0; attempt < 2; attempt++) {
      await expect(put()).rejects.toMatchObject({ name: 'SlowDown', $metadata: { httpStatusCode: 503 } });
    }
    await put();
    // Another key was never affected.
    await once.send(new PutObjectCommand({ Bucket: bucket, Key: 'other.txt', Body: 'other' }));
    expect(proxy.requests.map((r) => [r.key, r.status, r.fault !== undefined])).toEqual([
      ['slow.txt', 503, true],
      ['slow.txt', 503, true],
      ['slow.txt', 200, false],
      ['other.txt', 200, false],
    ]);
    expect(proxy.unfired()).toEqual([]);
    expect(await getBytes(direct, 'slow.txt')).toEqual(Buffer.from('slow'));
  });

  it('a 503 the SDK retries by itself costs one more request', async () => {
    proxy.plan([{ method: 'PUT', fault: { status: 503, code: 'SlowDown' } }]);
    await viaProxy.send(new PutObjectCommand({ Bucket: bucket, Key: 'retried.txt', Body: 'retried' }));
    expect(proxy.requests.map((r) => r.status)).toEqual([503, 200]);
  });

  it('a 503 on one part of a multipart upload hits that part only', async () => {
    const { UploadId } = await once.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'parts.bin' }));
    proxy.plan([{ method: 'PUT', query: { partNumber: '2', uploadId: true }, fault: { status: 503, code: 'SlowDown' } }]);
    const part = (n: number): Promise<unknown> =>
      once.send(new UploadPartCommand({ Bucket: bucket, Key: 'parts.bin', UploadId, PartNumber: n, Body: randomBytes(5 * MiB) }));
    await part(1);
    await expect(part(2)).rejects.toMatchObject({ name: 'SlowDown' });
    await part(2);
    expect(proxy.requests.slice(1).map((r) => [r.query.get('partNumber'), r.status])).toEqual([
      ['1', 200],
      ['2', 503],
      ['2', 200],
    ]);
    // left in progress on purpose: afterEach's emptyAndDeleteBucket must abort it (checked below)
    expect(await listMultipartUploads(direct, bucket)).toHaveLength(1);
    await emptyAndDeleteBucket(direct, bucket);
    bucket = await freshBucket(direct, 'server-test');
  });

  it('a reset after n response bytes cuts a GetObject body mid-stream', async () => {
    const data = randomBytes(2 * MiB);
    await direct.send(new PutObjectCommand({ Bucket: bucket, Key: 'cut.bin', Body: data }));
    proxy.plan([{ method: 'GET', key: 'cut.bin', fault: { resetAfterResponseBytes: 100_000 } }]);
    const response = await once.send(new GetObjectCommand({ Bucket: bucket, Key: 'cut.bin' }));
    expect(response.ContentLength).toBe(data.length); // the headers came through whole
    let received = 0;
    const read = async (): Promise<void> => {
      for await (const chunk of response.Body as AsyncIterable<Uint8Array>) received += chunk.length;
    };
    await expect(read()).rejects.toThrow();
    expect(received).toBeLessThanOrEqual(100_000);
    // The next GET is relayed whole again.
    expect((await getBytes(once, 'cut.bin')).equals(data)).toBe(true);
    expect(proxy.requests.map((r) => r.fault)).toEqual([{ resetAfterResponseBytes: 100_000 }, undefined]);
  });

  it('a reset before the response fails the request although the server acted on it', async () => {
    proxy.plan([{ method: 'PUT', key: 'lost-answer.txt', fault: { resetBeforeResponse: true } }]);
    await expect(
      once.send(new PutObjectCommand({ Bucket: bucket, Key: 'lost-answer.txt', Body: 'stored anyway' })),
    ).rejects.toThrow();
    expect((await getBytes(direct, 'lost-answer.txt')).toString()).toBe('stored anyway');
  });

  it('delays a request by delayMs', async () => {
    proxy.plan([{ method: 'HEAD', fault: { delayMs: 300 } }]);
    await direct.send(new PutObjectCommand({ Bucket: bucket, Key: 'slow-head.txt', Body: 'x' }));
    const started = performance.now();
    await once.send(new HeadObjectCommand({ Bucket: bucket, Key: 'slow-head.txt' }));
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(proxy.requests[0]).toMatchObject({ method: 'HEAD', status: 200, fault: { delayMs: 300 } });
  });
});
