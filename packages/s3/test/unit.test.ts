import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { isS3TransferError, multipartEtag, parseS3Uri, S3TransferError, unsafeKeyReason, upload } from '../src/index.ts';
import { createFilter } from '../src/filter.ts';
import { walkTree } from '../src/local.ts';
import { localPathFor } from '../src/paths.ts';
import { resolveOptions } from '../src/options.ts';
import { isRetryable, toTransferError } from '../src/retry.ts';

describe('parseS3Uri', () => {
  it('splits bucket and prefix', () => {
    expect(parseS3Uri('s3://photos/2024/jan/')).toEqual({ bucket: 'photos', prefix: '2024/jan/' });
    expect(parseS3Uri('s3://photos')).toEqual({ bucket: 'photos', prefix: '' });
    expect(parseS3Uri('S3://photos/')).toEqual({ bucket: 'photos', prefix: '' });
  });
  it.each(['photos/x', 's3://', 's3:///x', 's3://bad bucket/x', 'http://photos/x'])('refuses %j with ERR_S3_BAD_URI', (text) => {
    expect(() => parseS3Uri(text)).toThrow(S3TransferError);
    try {
      parseS3Uri(text);
    } catch (error) {
      expect(isS3TransferError(error, 'ERR_S3_BAD_URI')).toBe(true);
    }
  });
});

describe('unsafe keys', () => {
  it.each([
    ['../../etc/x', '".." segment'],
    ['a/../../x', '".." segment'],
    ['..\\..\\x', '".." segment'],
    ['a\\..\\..\\x', '".." segment'],
    ['/etc/passwd', 'absolute'],
    ['\\server\\x', 'absolute'],
    ['C:/Windows/x', 'absolute'],
    ['a/./b', '"." segment'],
    ['a//b', 'empty path segment'],
    ['a\0b', 'NUL'],
    ['', 'directory itself'],
    ['dir/', 'ends with a separator'],
  ])('refuses %j', (key, reason) => {
    expect(unsafeKeyReason(key)).toContain(reason);
    expect(() => localPathFor('/tmp/target', key, `prefix/${key}`)).toThrow(/refused key/);
  });
  it.each(['a.txt', 'dir/sub/file.jpg', '..hidden', 'a..b/c', 'with space/ü.txt', 'trailing.'])('accepts %j under the root', (key) => {
    expect(unsafeKeyReason(key)).toBeUndefined();
    expect(localPathFor('/tmp/target', key, key).startsWith('/tmp/target/')).toBe(true);
  });
});

describe('filters', () => {
  it('include then exclude, dot files matched', () => {
    const filter = createFilter({ include: ['**/*.jpg', 'docs/**'], exclude: ['**/tmp/**', 'docs/*.bak'] });
    expect(['a.jpg', 'x/y/b.jpg', 'docs/readme.md', '.hidden/c.jpg'].filter(filter)).toEqual(['a.jpg', 'x/y/b.jpg', 'docs/readme.md', '.hidden/c.jpg']);
    expect(['a.png', 'x/tmp/b.jpg', 'docs/old.bak'].filter(filter)).toEqual([]);
    expect(createFilter({})('anything/at/all')).toBe(true);
  });
});

describe('options', () => {
  it('applies defaults', () => {
    expect(resolveOptions({})).toMatchObject({ concurrency: 16, partSize: 8 * 1024 * 1024, multipartThreshold: 16 * 1024 * 1024, partConcurrency: 4, retries: 3, dryRun: false, symlinks: 'inside', compare: 'size-mtime', delete: false });
  });
  it.each([
    [{ concurrency: 0 }, RangeError, /concurrency must be a whole number from 1/],
    [{ partSize: 1024 }, RangeError, /partSize must be a whole number from 5242880/],
    [{ retries: -1 }, RangeError, /retries/],
    [{ compare: 'md5' }, TypeError, /compare must be/],
    [{ symlinks: 'yes' }, TypeError, /symlinks must be/],
    [{ include: ['ok', ''] }, TypeError, /include must be an array/],
    [{ executor: {} }, TypeError, /executor must be a @futures executor/],
    [{ concurency: 4 }, TypeError, /unknown option "concurency"/],
  ])('refuses %j', (options, type, message) => {
    expect(() => resolveOptions(options as never)).toThrow(type);
    expect(() => resolveOptions(options as never)).toThrow(message);
  });
  it('a bulk call with a bad option rejects before touching anything', async () => {
    await expect(upload('/nonexistent', 's3://bucket/x', { partConcurrency: 0 })).rejects.toThrow(RangeError);
    await expect(upload('/nonexistent', 'not-s3', {})).rejects.toThrow(/upload goes a local directory to S3/);
  });
});

describe('multipartEtag', () => {
  it('is the MD5 of the parts\' MD5s, dash, count (what S3 gives a multipart object)', () => {
    const parts = [Buffer.from('hello '), Buffer.from('world')].map((p) => createHash('md5').update(p).digest());
    const expected = createHash('md5').update(Buffer.concat(parts)).digest('hex');
    expect(multipartEtag(parts)).toBe(`${expected}-2`);
  });
});

describe('retries and errors', () => {
  it('retries resets, 5xx, throttling and checksum mismatches; not 4xx or local errors', () => {
    expect(isRetryable(Object.assign(new Error('reset'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isRetryable({ name: 'SlowDown', $metadata: { httpStatusCode: 503 } })).toBe(true);
    expect(isRetryable({ name: 'InternalError', $metadata: { httpStatusCode: 500 } })).toBe(true);
    expect(isRetryable(new S3TransferError('ERR_S3_CHECKSUM_MISMATCH', 'x'))).toBe(true);
    expect(isRetryable({ name: 'NoSuchKey', $metadata: { httpStatusCode: 404 } })).toBe(false);
    expect(isRetryable({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } })).toBe(false);
    expect(isRetryable(Object.assign(new Error('no such file'), { code: 'ENOENT', syscall: 'open' }))).toBe(false);
  });
  it('maps failures to stable codes naming the object', () => {
    expect(toTransferError({ name: 'NoSuchKey', message: 'gone', $metadata: { httpStatusCode: 404 } }, { key: 'a/b', doing: 'downloading' })).toMatchObject({ code: 'ERR_S3_NOT_FOUND', key: 'a/b', status: 404 });
    expect(toTransferError({ name: 'AccessDenied', message: 'no', $metadata: { httpStatusCode: 403 } }, { key: 'k', doing: 'uploading' }).code).toBe('ERR_S3_ACCESS_DENIED');
    expect(toTransferError({ name: 'PreconditionFailed', $metadata: { httpStatusCode: 412 } }, { key: 'k', doing: 'downloading' }).code).toBe('ERR_S3_SOURCE_CHANGED');
    const local = toTransferError(Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES', syscall: 'open' }), { key: 'k', path: '/x/y', doing: 'uploading' });
    expect(local).toMatchObject({ code: 'ERR_S3_LOCAL_IO', path: '/x/y' });
    expect(local.message).toContain('/x/y');
  });
});

describe('walking a tree', () => {
  let root: string;
  let outside: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'futures-s3-walk-'));
    outside = await mkdtemp(join(tmpdir(), 'futures-s3-outside-'));
    await mkdir(join(root, 'a/b'), { recursive: true });
    await writeFile(join(root, 'a/b/c.txt'), 'c');
    await writeFile(join(root, 'top.txt'), 'top');
    await writeFile(join(outside, 'secret.txt'), 'secret');
    await symlink(join(outside, 'secret.txt'), join(root, 'leak.txt'));
    await symlink(outside, join(root, 'leakdir'));
    await symlink(join(root, 'top.txt'), join(root, 'alias.txt'));
    await symlink(root, join(root, 'a/loop'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
    await rm(outside, { recursive: true, force: true });
  });

  it("by default follows links inside the tree only, and lists the others as skipped", async () => {
    const tree = await walkTree(root, () => true, 'inside');
    expect(tree.files.map((f) => f.relative)).toEqual(['a/b/c.txt', 'alias.txt', 'top.txt']);
    const reasons = Object.fromEntries(tree.skipped.map((s) => [s.name, s.reason]));
    expect(reasons['leak.txt']).toMatch(/outside the tree/);
    expect(reasons['leakdir']).toMatch(/outside the tree/);
    expect(reasons['a/loop']).toMatch(/cycle/);
  });
  it("'skip' skips every link; 'follow' follows links out of the tree", async () => {
    expect((await walkTree(root, () => true, 'skip')).files.map((f) => f.relative)).toEqual(['a/b/c.txt', 'top.txt']);
    const all = (await walkTree(root, () => true, 'follow')).files.map((f) => f.relative);
    expect(all).toContain('leak.txt');
    expect(all).toContain('leakdir/secret.txt');
  });
});
