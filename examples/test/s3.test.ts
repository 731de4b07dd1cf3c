/**
 * The S3 examples (seed 003, "Use Case: S3") and the S3 server they start (`src/lib/s3-server.ts`):
 * what went up and came down, byte for byte, and which requests did it. They run against the
 * embedded s3rver, or against the server `FUTURES_S3_ENDPOINT` names if it is set.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { format, promisify } from 'node:util';
import { CreateBucketCommand, HeadBucketCommand, ListObjectsV2Command, PutObjectCommand, paginateListObjectsV2 } from '@aws-sdk/client-s3';
import { createS3Client } from '@futures/s3';
import { describe, expect, it } from 'vitest';
import { main as s3Bulk, LARGE_FILE, SMALL_FILES } from '../src/s3-bulk.ts';
import { fileContent as downloadContent, main as s3Download } from '../src/s3-download.ts';
import { fileContent as uploadContent, main as s3Upload } from '../src/s3-upload.ts';
import { exampleS3Server, startS3Server } from '../src/lib/s3-server.ts';

const md5 = (text: string): string => createHash('md5').update(text).digest('hex');

/** A `log` that keeps the printed lines. */
function capture(): { log: (...args: unknown[]) => void; lines: string[] } {
  const lines: string[] = [];
  return { log: (...args: unknown[]) => lines.push(format(...args)), lines };
}

/** The tutorial's bucket name (with a random suffix on a server other than the embedded one). */
const BUCKET = /^your-bucket-name(-[0-9a-f]{8})?$/;

describe('seed 003: Use Case: S3', () => {
  it('s3-download: three objects downloaded at once, read with asCompleted, each file with its object’s bytes', async () => {
    const { log, lines } = capture();
    const result = await s3Download(log);
    const keys = ['file1.txt', 'file2.txt', 'file3.txt'];
    const contents = keys.map((key, i) => downloadContent(key, 100 * (i + 1)));
    expect(result.bucket).toMatch(BUCKET);
    expect(result.keys).toEqual(keys);
    // Every download started before any finished: they ran at once.
    expect(result.maxConcurrent).toBe(3);
    expect(new Set(lines.slice(0, 3))).toEqual(new Set(keys.map((key) => `Downloading ${key} from ${result.bucket}`)));
    for (const [i, key] of keys.entries()) expect(lines).toContain(`Downloaded ${key} from ${result.bucket} to downloaded_file${i + 1}.txt`);
    // asCompleted yields each future once; downloadFile checked each body against the ETag (the MD5).
    expect(result.completed.map((transfer) => transfer.key).sort()).toEqual(keys);
    for (const transfer of result.completed) {
      const content = contents[keys.indexOf(transfer.key)] as string;
      expect(transfer).toMatchObject({ bucket: result.bucket, bytes: Buffer.byteLength(content), parts: 1, verified: 'md5', etag: md5(content) });
    }
    expect(lines.filter((line) => line.startsWith('Completed download: '))).toEqual(
      result.completed.map((t) => `Completed download: ${t.key}, ${t.bytes} bytes, md5 checked (ETag ${t.etag})`),
    );
    expect(result.files).toEqual(
      keys.map((key, i) => ({ key, localFilename: `downloaded_file${i + 1}.txt`, bytes: Buffer.byteLength(contents[i] as string), identical: true })),
    );
    expect(lines.at(-1)).toBe("Every file has its object's bytes: yes");
    expect(lines).toHaveLength(10);
  });

  it('s3-upload: three files uploaded at once, read with asCompleted; every object read back has the file’s bytes', async () => {
    const { log, lines } = capture();
    const result = await s3Upload(log);
    const keys = ['uploaded_file1.txt', 'uploaded_file2.txt', 'uploaded_file3.txt'];
    const contents = [1, 2, 3].map((i) => uploadContent(`file${i}.txt`, 100 * i));
    expect(result.bucket).toMatch(BUCKET);
    expect(result.keys).toEqual(keys);
    expect(result.maxConcurrent).toBe(3);
    expect(new Set(lines.slice(0, 3))).toEqual(new Set(keys.map((key, i) => `Uploading file${i + 1}.txt to ${result.bucket}/${key}`)));
    for (const [i, key] of keys.entries()) expect(lines).toContain(`Uploaded file${i + 1}.txt to ${result.bucket}/${key}`);
    expect(result.completed.map((transfer) => transfer.key).sort()).toEqual(keys);
    for (const transfer of result.completed) {
      const content = contents[keys.indexOf(transfer.key)] as string;
      expect(transfer).toMatchObject({ bucket: result.bucket, bytes: Buffer.byteLength(content), parts: 1, verified: 'md5', etag: md5(content) });
    }
    expect(result.objects).toEqual(
      keys.map((key, i) => ({
        key,
        localFilename: `file${i + 1}.txt`,
        bytes: Buffer.byteLength(contents[i] as string),
        contentType: 'text/plain; charset=utf-8', // from the extension
        identical: true,
      })),
    );
    expect(lines.at(-1)).toBe("Every object has its file's bytes: yes");
    expect(lines).toHaveLength(10);
  });

  it('s3-bulk: 201 files up (the 20 MiB one in 3 parts), a sync that sends nothing, down again byte for byte', async () => {
    const { log, lines } = capture();
    const result = await s3Bulk(log);
    const files = SMALL_FILES + 1;
    expect(result.files).toBe(files);
    expect(result.bytes).toBeGreaterThan(LARGE_FILE.bytes + SMALL_FILES * 1024);
    expect(result.bytes).toBeLessThan(LARGE_FILE.bytes + SMALL_FILES * 64 * 1024);

    expect(result.uploaded).toMatchObject({ operation: 'upload', planned: files, transferred: files, unchanged: 0, failed: 0, bytes: result.bytes, interrupted: false });
    // The small files in one PutObject each; the large one multipart, 8 MiB parts: 8 + 8 + 4.
    expect(result.requests.upload).toEqual({ PutObjectCommand: SMALL_FILES, CreateMultipartUploadCommand: 1, UploadPartCommand: 3, CompleteMultipartUploadCommand: 1 });
    expect(result.progressLines.map((line) => line.split(' (')[0])).toEqual(['  upload: 25%', '  upload: 50%', '  upload: 75%', '  upload: 100%']);
    expect(result.progressLines.at(-1)).toMatch(new RegExp(`\\(\\d+/${files} objects, ([\\d.]+)/\\1 MiB\\)$`));

    // The second run only lists: every object is unchanged, nothing is sent.
    expect(result.synced).toMatchObject({ operation: 'sync', planned: 0, transferred: 0, unchanged: files, failed: 0, bytes: 0 });
    expect(result.requests.sync).toEqual({ ListObjectsV2Command: 1 });

    // Down again: a GET per small file, 3 ranged GETs (after a HEAD) for the large one.
    expect(result.downloaded).toMatchObject({ operation: 'download', planned: files, transferred: files, failed: 0, bytes: result.bytes });
    expect(result.requests.download).toEqual({ ListObjectsV2Command: 1, GetObjectCommand: SMALL_FILES + 3, HeadObjectCommand: 1 });
    expect(result.identical).toBe(files);
    expect(result.different).toEqual([]);

    expect(lines[0]).toMatch(/^Wrote 201 files, [\d.]+ MiB \(the largest 20\.0 MiB\) into a temporary folder$/);
    expect(lines).toContainEqual(expect.stringMatching(/^upload: 201 objects \(201 transferred, 0 unchanged, 0 failed\), [\d.]+ MiB in [\d.]+ s: \d+ objects\/s, [\d.]+ MiB\/s$/));
    expect(lines).toContainEqual(expect.stringMatching(/^sync: 201 objects \(0 transferred, 201 unchanged, 0 failed\) in [\d.]+ s: nothing to send$/));
    expect(lines).toContainEqual(expect.stringMatching(/^download: 201 objects \(201 transferred, 0 unchanged, 0 failed\), /));
    expect(lines.at(-1)).toBe('All 201 files came back byte for byte');
  }, 60_000);

  it('runs an S3 example as a script (npx tsx src/s3-upload.ts): the server it started is gone when it exits', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--conditions=@futures/source', '--import', 'tsx', 'src/s3-upload.ts'], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      timeout: 30_000,
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    expect(stdout.trim().split('\n').at(-1)).toBe("Every object has its file's bytes: yes");
  });
});

describe('lib/s3-server: s3rver for the examples', () => {
  it('answers S3 on 127.0.0.1, lists past one page, and removes its data when closed', async () => {
    const server = await startS3Server({ buckets: ['listing'] });
    const client = createS3Client(server);
    try {
      expect(server.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      await Promise.all(Array.from({ length: 25 }, (_, i) => client.send(new PutObjectCommand({ Bucket: 'listing', Key: `k/${String(i).padStart(2, '0')}`, Body: `${i}` }))));
      // Pages of 10: the continuation tokens are where s3rver needs OpenSSL's legacy provider (DES).
      const pages: number[] = [];
      const keys: string[] = [];
      for await (const page of paginateListObjectsV2({ client, pageSize: 10 }, { Bucket: 'listing', Prefix: 'k/' })) {
        pages.push(page.KeyCount ?? 0);
        keys.push(...(page.Contents ?? []).map((object) => object.Key ?? ''));
      }
      expect(pages).toEqual([10, 10, 5]);
      expect(keys).toEqual(Array.from({ length: 25 }, (_, i) => `k/${String(i).padStart(2, '0')}`));
    } finally {
      client.destroy();
      await server.close();
    }
    expect(existsSync(server.directory)).toBe(false);
    await expect(fetch(server.endpoint)).rejects.toThrow();
    await server.close(); // twice is fine
  });

  it('uses the server FUTURES_S3_ENDPOINT names instead, with its own bucket names, and deletes those buckets when closed', async () => {
    await using other = await startS3Server();
    const env = { FUTURES_S3_ENDPOINT: other.endpoint, FUTURES_S3_ACCESS_KEY_ID: other.credentials.accessKeyId, FUTURES_S3_SECRET_ACCESS_KEY: other.credentials.secretAccessKey };
    const client = createS3Client(other);
    try {
      const server = await exampleS3Server(env);
      expect(server.embedded).toBe(false);
      expect(server.endpoint).toBe(other.endpoint);
      const bucket = server.bucketName('your-bucket-name');
      expect(bucket).toMatch(/^your-bucket-name-[0-9a-f]{8}$/);
      const unused = server.bucketName('never-created');
      await client.send(new CreateBucketCommand({ Bucket: bucket }));
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'a/b.txt', Body: 'b' }));
      expect((await client.send(new ListObjectsV2Command({ Bucket: bucket }))).KeyCount).toBe(1);
      await server.close();
      await expect(client.send(new HeadBucketCommand({ Bucket: bucket }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
      await expect(client.send(new HeadBucketCommand({ Bucket: unused }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
    } finally {
      client.destroy();
    }

    await using embedded = await exampleS3Server({});
    expect(embedded.embedded).toBe(true);
    expect(embedded.bucketName('your-bucket-name')).toBe('your-bucket-name');
  });
});
