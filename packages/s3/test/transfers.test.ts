/**
 * The bulk operations against a real S3 server (Ceph radosgw on 127.0.0.1, see
 * global-setup.ts): upload, download, sync both ways, copy, remove, dry runs, filters, and the
 * single-object functions; on the default AsyncExecutor and on a ThreadPoolExecutor.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { ThreadPoolExecutor } from '@futures/worker-threads';
import { beforeEach, describe, expect, it } from 'vitest';
import { copy, copyObject, deleteObject, download, downloadFile, headObject, remove, sync, upload, uploadFile, type TransferProgress } from '../src/index.ts';
import { emptyAndDeleteBucket, freshBucket, listMultipartUploads, s3Connection, SMALL_PARTS, useTestBucket } from './helpers.ts';

const MiB = 1024 * 1024;
const fixture = useTestBucket('test');
let client: S3Client;
let bucket: string;
let work: string;
beforeEach(() => {
  ({ client, bucket, work } = fixture);
});

/** A tree of small files, an empty one, unicode names and one 12 MiB file (3 parts of 5 MiB). */
async function makeTree(root: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (let i = 0; i < 30; i++) files.set(`docs/${i % 3}/file-${i}.txt`, randomBytes(100 + i * 37));
  files.set('empty.bin', Buffer.alloc(0));
  files.set('ünï cødé/ñame with spaces.json', Buffer.from('{"ok":true}'));
  files.set('big/video.bin', randomBytes(12 * MiB));
  for (const [name, data] of files) {
    await mkdir(join(root, name, '..'), { recursive: true });
    await writeFile(join(root, name), data);
  }
  return files;
}

async function readTree(root: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const path = join(entry.parentPath, entry.name);
      files.set(relative(root, path), await readFile(path));
    }
  }
  return files;
}

async function keys(prefix = ''): Promise<string[]> {
  const answer = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  return (answer.Contents ?? []).map((o) => o.Key ?? '').sort();
}

async function body(key: string): Promise<Buffer> {
  const answer = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await answer.Body!.transformToByteArray());
}

const md5 = (data: Buffer): string => createHash('md5').update(data).digest('hex');

describe.each([
  ['AsyncExecutor (default)', () => undefined],
  ['ThreadPoolExecutor', () => new ThreadPoolExecutor({ maxWorkers: 2 })],
])('upload and download on %s', (_name, makeExecutor) => {
  it('uploads a tree (multipart for the big file) and downloads it back byte for byte', async () => {
    const executor = makeExecutor();
    try {
      const source = join(work, 'source');
      const files = await makeTree(source);
      const progress: TransferProgress[] = [];
      const up = await upload(source, `s3://${bucket}/site`, { ...s3Connection(), ...SMALL_PARTS, executor, onProgress: (p) => progress.push(p) });
      expect(up).toMatchObject({ operation: 'upload', transferred: files.size, failed: 0, unchanged: 0, interrupted: false, dryRun: false });
      expect(up.failures).toEqual([]);
      expect(up.bytes).toBe([...files.values()].reduce((sum, data) => sum + data.length, 0));
      expect(await keys('site/')).toEqual([...files.keys()].map((name) => `site/${name}`).sort());
      const last = progress.at(-1)!;
      expect(last).toMatchObject({ objectsDone: files.size, objectsTotal: files.size, bytesDone: up.bytes, bytesTotal: up.bytes });

      const big = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'site/big/video.bin' }));
      expect(big.ETag).toMatch(/-3"$/); // 12 MiB in parts of 5 MiB
      expect((await client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'site/docs/0/file-0.txt' }))).ContentType).toMatch(/^text\/plain/);
      expect(md5(await body('site/ünï cødé/ñame with spaces.json'))).toBe(md5(files.get('ünï cødé/ñame with spaces.json')!));

      const target = join(work, 'target');
      const down = await download(`s3://${bucket}/site/`, target, { ...s3Connection(), ...SMALL_PARTS, executor });
      expect(down).toMatchObject({ operation: 'download', transferred: files.size, failed: 0 });
      const back = await readTree(target);
      expect([...back.keys()].sort()).toEqual([...files.keys()].sort()); // and no temporary files left
      for (const [name, data] of files) expect(md5(back.get(name)!), name).toBe(md5(data));
    } finally {
      await executor?.shutdown();
    }
  });
});

describe('sync', () => {
  it('uploads only what changed, deletes extraneous objects with delete, keeps excluded ones', async () => {
    const source = join(work, 'source');
    const files = await makeTree(source);
    const connection = { ...s3Connection(), ...SMALL_PARTS };
    expect((await sync(source, `s3://${bucket}/s`, connection)).transferred).toBe(files.size);

    const again = await sync(source, `s3://${bucket}/s`, connection);
    expect(again).toMatchObject({ transferred: 0, unchanged: files.size, deleted: 0, bytes: 0 });

    await writeFile(join(source, 'docs/0/file-0.txt'), 'changed, and of another size');
    await rm(join(source, 'docs/1/file-1.txt'));
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 's/keep.log', Body: 'excluded, so never deleted' }));
    const dry = await sync(source, `s3://${bucket}/s`, { ...connection, delete: true, exclude: ['*.log'], dryRun: true });
    expect(dry.actions.map((a) => `${a.action} ${a.to}`)).toEqual([`upload s3://${bucket}/s/docs/0/file-0.txt`, `delete s3://${bucket}/s/docs/1/file-1.txt`]);
    expect(await keys('s/')).toContain('s/docs/1/file-1.txt'); // a dry run changes nothing

    const changed = await sync(source, `s3://${bucket}/s`, { ...connection, delete: true, exclude: ['*.log'] });
    expect(changed).toMatchObject({ transferred: 1, deleted: 1, unchanged: files.size - 2, failed: 0 });
    expect(await keys('s/')).not.toContain('s/docs/1/file-1.txt');
    expect(await keys('s/')).toContain('s/keep.log');
    expect((await body('s/docs/0/file-0.txt')).toString()).toBe('changed, and of another size');
  });

  it('resumes an interrupted download: a second run fetches only what is missing', async () => {
    const source = join(work, 'source');
    const files = await makeTree(source);
    await upload(source, `s3://${bucket}/r`, { ...s3Connection(), ...SMALL_PARTS });
    const target = join(work, 'target');
    await sync(`s3://${bucket}/r`, target, { ...s3Connection(), ...SMALL_PARTS });
    await rm(join(target, 'big'), { recursive: true });
    await rm(join(target, 'docs/2'), { recursive: true });
    await writeFile(join(target, 'stray.txt'), 'not in the bucket');

    const resumed = await sync(`s3://${bucket}/r`, target, { ...s3Connection(), ...SMALL_PARTS, delete: true });
    expect(resumed).toMatchObject({ transferred: 11, unchanged: files.size - 11, deleted: 1, failed: 0 }); // big + 10 in docs/2
    const back = await readTree(target);
    expect([...back.keys()].sort()).toEqual([...files.keys()].sort());
    for (const [name, data] of files) expect(md5(back.get(name)!), name).toBe(md5(data));
  });

  it("compare 'checksum' finds a same-size change that size and mtime miss", async () => {
    const source = join(work, 'source');
    await mkdir(source);
    await writeFile(join(source, 'a.txt'), 'aaaa');
    await writeFile(join(source, 'big.bin'), randomBytes(11 * MiB));
    await upload(source, `s3://${bucket}/c`, { ...s3Connection(), ...SMALL_PARTS });
    await writeFile(join(source, 'a.txt'), 'bbbb');
    const old = new Date(Date.now() - 3_600_000);
    await utimes(join(source, 'a.txt'), old, old);

    expect((await sync(source, `s3://${bucket}/c`, { ...s3Connection(), ...SMALL_PARTS })).transferred).toBe(0);
    const checked = await sync(source, `s3://${bucket}/c`, { ...s3Connection(), ...SMALL_PARTS, compare: 'checksum' });
    expect(checked).toMatchObject({ transferred: 1, unchanged: 1 }); // the multipart one matched by its computed ETag
    expect((await body('c/a.txt')).toString()).toBe('bbbb');
  });
});

describe('copy and remove', () => {
  it('copies on the server, multipart (UploadPartCopy) for large objects, keeping type and metadata', async () => {
    const data = randomBytes(11 * MiB);
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'src/big.bin', Body: data, ContentType: 'video/mp4', Metadata: { owner: 'ada' } }));
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'src/small.txt', Body: 'small', ContentType: 'text/plain' }));
    const other = await freshBucket(client);
    try {
      const copied = await copy(`s3://${bucket}/src/`, `s3://${other}/dst/`, { ...s3Connection(), ...SMALL_PARTS });
      expect(copied).toMatchObject({ operation: 'copy', transferred: 2, failed: 0, bytes: data.length + 5 });
      const head = await client.send(new HeadObjectCommand({ Bucket: other, Key: 'dst/big.bin' }));
      expect(head).toMatchObject({ ContentLength: data.length, ContentType: 'video/mp4' });
      expect(head.Metadata?.owner).toBe('ada');
      expect(head.ETag).toMatch(/-3"$/);
      const got = await client.send(new GetObjectCommand({ Bucket: other, Key: 'dst/big.bin' }));
      expect(md5(Buffer.from(await got.Body!.transformToByteArray()))).toBe(md5(data));
      expect(await listMultipartUploads(client, other)).toEqual([]);
    } finally {
      await emptyAndDeleteBucket(client, other);
    }
  });

  it('removes a prefix (filtered), leaves the rest, and a dry run deletes nothing', async () => {
    for (const key of ['tmp/a.log', 'tmp/b.log', 'tmp/keep.txt', 'tmpfile', 'data/x']) await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }));
    const dry = await remove(`s3://${bucket}/tmp`, { ...s3Connection(), dryRun: true });
    expect(dry.actions.map((a) => a.to)).toEqual([`s3://${bucket}/tmp/a.log`, `s3://${bucket}/tmp/b.log`, `s3://${bucket}/tmp/keep.txt`]);
    expect(await keys()).toHaveLength(5);
    const removed = await remove(`s3://${bucket}/tmp`, { ...s3Connection(), exclude: ['*.txt'] });
    expect(removed).toMatchObject({ operation: 'remove', deleted: 2, failed: 0 });
    expect(await keys()).toEqual(['data/x', 'tmp/keep.txt', 'tmpfile']);
  });

  it('removes more than one DeleteObjects batch (1,000 keys)', async () => {
    const source = join(work, 'many');
    await mkdir(source);
    for (let i = 0; i < 1_050; i++) await writeFile(join(source, `f${i}`), String(i));
    expect((await upload(source, `s3://${bucket}/many`, { ...s3Connection(), concurrency: 32 })).transferred).toBe(1_050);
    expect(await remove(`s3://${bucket}/many/`, s3Connection())).toMatchObject({ deleted: 1_050, failed: 0 });
    expect(await keys()).toEqual([]);
  });
});

describe('single objects', () => {
  it('uploadFile and downloadFile, multipart and ranged, report bytes as they move', async () => {
    const path = join(work, 'one.bin');
    const data = randomBytes(13 * MiB);
    await writeFile(path, data);
    const seen: number[] = [];
    const up = await uploadFile({ ...s3Connection(), ...SMALL_PARTS, bucket, key: 'one.bin', file: path, onProgress: (bytes) => seen.push(bytes) });
    expect(up).toMatchObject({ bytes: data.length, parts: 3, verified: 'multipart-md5' });
    expect(seen.at(-1)).toBe(data.length);
    const back = join(work, 'back/one.bin');
    const down = await downloadFile({ ...s3Connection(), ...SMALL_PARTS, bucket, key: 'one.bin', file: back });
    expect(down).toMatchObject({ bytes: data.length, parts: 3, verified: 'multipart-md5' });
    expect(md5(await readFile(back))).toBe(md5(data));
    const mtime = (await stat(back)).mtimeMs;
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'one.bin' }));
    expect(Math.abs(mtime - head.LastModified!.getTime())).toBeLessThan(1000); // the object's LastModified
  });

  it('copyObject copies (and renames) one object on the server, multipart when large; deleteObject deletes one', async () => {
    const data = randomBytes(11 * MiB);
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'a/big.bin', Body: data, ContentType: 'video/mp4' }));
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'a/small.txt', Body: 'small' }));
    const big = await copyObject({ ...s3Connection(), ...SMALL_PARTS, sourceBucket: bucket, sourceKey: 'a/big.bin', bucket, key: 'b/renamed.bin' });
    expect(big).toMatchObject({ key: 'b/renamed.bin', bytes: data.length, parts: 3 });
    expect(md5(await body('b/renamed.bin'))).toBe(md5(data));
    expect((await client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'b/renamed.bin' }))).ContentType).toBe('video/mp4');
    expect(await copyObject({ ...s3Connection(), sourceBucket: bucket, sourceKey: 'a/small.txt', bucket, key: 'small-copy.txt' })).toMatchObject({ bytes: 5, parts: 1, verified: 'md5' });
    await expect(copyObject({ ...s3Connection(), sourceBucket: bucket, sourceKey: 'a/none', bucket, key: 'x' })).rejects.toMatchObject({ code: 'ERR_S3_NOT_FOUND', key: 'a/none' });

    expect(await headObject({ ...s3Connection(), bucket, key: 'a/small.txt' })).toMatchObject({ size: 5, etag: md5(Buffer.from('small')) });
    expect(await headObject({ ...s3Connection(), bucket, key: 'a/none' })).toBeUndefined();
    await expect(headObject({ ...s3Connection(), bucket: 'no-such-bucket-futures', key: 'k' })).rejects.toMatchObject({ code: 'ERR_S3_NOT_FOUND' });
    await deleteObject({ ...s3Connection(), bucket, key: 'a/small.txt' });
    await deleteObject({ ...s3Connection(), bucket, key: 'a/never-was' }); // as in S3: no error
    expect(await keys()).toEqual(['a/big.bin', 'b/renamed.bin', 'small-copy.txt']);
    await expect(deleteObject({ ...s3Connection(), bucket: 'no-such-bucket-futures', key: 'k' })).rejects.toMatchObject({ code: 'ERR_S3_NOT_FOUND' });
  });

  it('a missing object fails with ERR_S3_NOT_FOUND and leaves no file', async () => {
    const file = join(work, 'nothing.txt');
    await expect(downloadFile({ ...s3Connection(), bucket, key: 'missing', file })).rejects.toMatchObject({ code: 'ERR_S3_NOT_FOUND', key: 'missing' });
    expect(await readdir(work)).toEqual([]);
  });
});
