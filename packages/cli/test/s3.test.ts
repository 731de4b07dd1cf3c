/**
 * `futures s3` against the real S3 server of @futures/s3's tests (Ceph radosgw on 127.0.0.1, see
 * ../s3/test/global-setup.ts), run in-process through `main` with the credentials in its
 * environment and `--endpoint-url`: upload, sync (both ways, dry run, filters, delete), download,
 * cp of one file or object and of trees, rm, --json, failures (exit 1), usage errors (exit 2),
 * progress on and off a terminal, Ctrl-C (spawned for real).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { remove, uploadFile, type S3ConnectionOptions, type TransferProgress } from '@futures/s3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type {} from '../../s3/test/global-setup.ts'; // its `inject('s3')` type
import { emptyAndDeleteBucket, freshBucket, listMultipartUploads, s3Connection, testClient } from '../../s3/test/helpers.ts';
import { parseByteSize } from '../src/commands/s3/args.ts';
import { createS3Display, statusLine } from '../src/commands/s3/report.ts';
import { futures, runMain, type InProcessOptions, type Result } from './run-cli.js';

const MiB = 1024 * 1024;

let client: ReturnType<typeof testClient>;
let connection: S3ConnectionOptions;
let env: Record<string, string>;
let bucket: string;
let work: string;

beforeAll(() => {
  client = testClient();
  const { endpoint, region, credentials } = s3Connection();
  connection = { endpoint, region, credentials };
  env = {
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_REGION: region,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
});
afterAll(() => client.destroy());
beforeEach(async () => {
  bucket = await freshBucket(client, 'cli');
  work = await mkdtemp(join(tmpdir(), 'futures-cli-s3-'));
});
afterEach(async () => {
  expect(await listMultipartUploads(client, bucket)).toEqual([]);
  await emptyAndDeleteBucket(client, bucket);
  await rm(work, { recursive: true, force: true });
});

/** Runs `futures s3 ...args` in-process against the test server (the endpoint as a flag, the rest from the environment). */
function s3(args: readonly string[], options: InProcessOptions = {}): Promise<Result> {
  return runMain(['s3', ...args, '--endpoint-url', connection.endpoint as string], { env, ...options });
}

/** The keys under `prefix` in the test bucket, sorted (listed through @futures/s3: a dry-run remove). */
async function keys(prefix = ''): Promise<string[]> {
  const summary = await remove(`s3://${bucket}/${prefix}`, { ...connection, dryRun: true });
  return summary.actions.map((action) => action.to.slice(`s3://${bucket}/`.length)).sort();
}

/** A tree of small files, one with a unicode name, one of 12 MiB (3 parts with --part-size 5M). */
async function makeTree(root: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>([
    ['a.txt', Buffer.from('hello\n')],
    ['docs/b.md', Buffer.from('# b\n')],
    ['docs/deep/c.json', Buffer.from('{"c":1}\n')],
    ['ünï cødé/ñame with spaces.txt', randomBytes(1000)],
    ['big.bin', randomBytes(12 * MiB)],
  ]);
  for (const [name, data] of files) {
    await mkdir(join(root, name, '..'), { recursive: true });
    await writeFile(join(root, name), data);
  }
  return files;
}

/** The files under `root` as relative path → SHA-256 (comparing 12 MiB buffers with toEqual is very slow). */
async function readTree(root: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) files.set(relative(root, join(entry.parentPath, entry.name)), sha256(await readFile(join(entry.parentPath, entry.name))));
  }
  return files;
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** `files` as readTree gives them. */
function digests(files: Map<string, Buffer>): Map<string, string> {
  return new Map([...files].map(([name, data]) => [name, sha256(data)]));
}

const SMALL_PARTS = ['--part-size', '5M', '--multipart-threshold', '5MiB'];

describe('futures s3 upload, sync, download', () => {
  it('uploads a tree (a line per object off a terminal), then sync finds everything unchanged', async () => {
    const src = join(work, 'src');
    const files = await makeTree(src);
    const up = await s3(['upload', src, `s3://${bucket}/site/`, ...SMALL_PARTS, '-j', '4']);
    expect(up.code).toBe(0);
    expect(await keys('site/')).toEqual([...files.keys()].map((name) => `site/${name}`).sort());
    expect(up.stderr).toMatch(/^\[1\/5\] upload: .+ to s3:\/\/cli-[^/]+\/site\/\S+/m);
    expect(up.stderr).toContain(`upload: ${join(src, 'big.bin')} to s3://${bucket}/site/big.bin (12.0 MiB)`);
    expect(up.stdout).toMatch(new RegExp(`^upload ${src} → s3://${bucket}/site/: 5 transferred, 0 unchanged, 0 deleted, 0 failed\\n12\\.0 MiB in .+ \\(\\d+\\.\\d objects/s, \\d+\\.\\d MiB/s\\)\\n$`));

    const again = await s3(['sync', src, `s3://${bucket}/site`]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/: 0 transferred, 5 unchanged, 0 deleted, 0 failed\n/);
    expect(again.stderr).toBe('');
  });

  it('--dry-run prints the planned actions as aws s3 does and changes nothing', async () => {
    const src = join(work, 'src');
    await makeTree(src);
    expect((await s3(['upload', src, `s3://${bucket}/p/`, '--exclude', 'big.bin'])).code).toBe(0);
    const before = await keys();
    await writeFile(join(src, 'new.txt'), 'new');
    await rm(join(src, 'docs/b.md'));
    const dry = await s3(['sync', src, `s3://${bucket}/p/`, '--delete', '--dryrun', '--exclude', 'big.bin']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(`(dryrun) upload: ${join(src, 'new.txt')} to s3://${bucket}/p/new.txt\n`);
    expect(dry.stdout).toContain(`(dryrun) delete: s3://${bucket}/p/docs/b.md\n`);
    expect(dry.stdout).toMatch(/\(dryrun\) sync .+: 1 to transfer \(3 B\), 3 unchanged, 1 to delete, 0 failed; nothing was changed\n$/);
    expect(await keys()).toEqual(before);
    const json = await s3(['sync', src, `s3://${bucket}/p/`, '--delete', '--dryrun', '--json', '--exclude', 'big.bin']);
    expect(JSON.parse(json.stdout)).toMatchObject({
      command: 'sync',
      dryRun: true,
      transferred: 1,
      unchanged: 3,
      deleted: 1,
      actions: [
        { action: 'upload', from: join(src, 'new.txt'), to: `s3://${bucket}/p/new.txt`, size: 3 },
        { action: 'delete', to: `s3://${bucket}/p/docs/b.md`, size: 4 },
      ],
    });

    const real = await s3(['sync', src, `s3://${bucket}/p/`, '--delete', '-n']);
    expect(real.stdout).toContain(`(dryrun) upload: ${join(src, 'big.bin')} to s3://${bucket}/p/big.bin`); // -n: rclone's short flag
    expect(await keys()).toEqual(before);
  });

  it('--exclude and --include filter the tree (globs on the path under it)', async () => {
    const src = join(work, 'src');
    await makeTree(src);
    const result = await s3(['upload', src, `s3://${bucket}/f/`, '--exclude', '**/*.md', '--exclude', 'big.bin', '--quiet']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(await keys()).toEqual(['f/a.txt', 'f/docs/deep/c.json', 'f/ünï cødé/ñame with spaces.txt']);
    await s3(['upload', src, `s3://${bucket}/g/`, '--include', 'docs/**', '--exclude', '**/*.json']);
    expect(await keys('g/')).toEqual(['g/docs/b.md']);
  });

  it('downloads a prefix into identical files; sync down again is a no-op; sync --delete removes extra files', async () => {
    const src = join(work, 'src');
    const files = await makeTree(src);
    await s3(['upload', src, `s3://${bucket}/data/`, ...SMALL_PARTS]);
    const dst = join(work, 'dst');
    const down = await s3(['download', `s3://${bucket}/data/`, dst, ...SMALL_PARTS]);
    expect(down.code).toBe(0);
    expect(down.stderr).toContain(`download: s3://${bucket}/data/big.bin to ${join(dst, 'big.bin')} (12.0 MiB)`);
    expect(await readTree(dst)).toEqual(digests(files));

    await writeFile(join(dst, 'extra.txt'), 'not in S3');
    const sync = await s3(['sync', `s3://${bucket}/data`, dst, '--delete', '--size-only']);
    expect(sync.code).toBe(0);
    expect(sync.stdout).toMatch(/: 0 transferred, 5 unchanged, 1 deleted, 0 failed\n/);
    expect(sync.stderr).toContain(`delete: ${join(dst, 'extra.txt')}`);
    expect(await readTree(dst)).toEqual(digests(files));
  });

  it('follows the links inside the tree by default; --follow-symlinks and --no-follow-symlinks change that', async () => {
    const src = join(work, 'src');
    await mkdir(src);
    await writeFile(join(src, 'real.txt'), 'real');
    await writeFile(join(work, 'outside.txt'), 'outside');
    await symlink(join(src, 'real.txt'), join(src, 'inside-link.txt'));
    await symlink(join(work, 'outside.txt'), join(src, 'outside-link.txt'));
    const normal = await s3(['upload', src, `s3://${bucket}/default/`]);
    expect(await keys('default/')).toEqual(['default/inside-link.txt', 'default/real.txt']);
    expect(normal.stdout).toMatch(/ {2}skipped: outside-link\.txt: symbolic link to .*outside\.txt, outside the tree/);
    await s3(['upload', src, `s3://${bucket}/follow/`, '--follow-symlinks']);
    expect(await keys('follow/')).toEqual(['follow/inside-link.txt', 'follow/outside-link.txt', 'follow/real.txt']);
    await s3(['upload', src, `s3://${bucket}/skip/`, '--no-follow-symlinks']);
    expect(await keys('skip/')).toEqual(['skip/real.txt']);
  });
});

describe('futures s3 cp', () => {
  it('copies one file up and one object down, aws style (a trailing / means "into")', async () => {
    const file = join(work, 'report.txt');
    await writeFile(file, 'the report');
    expect((await s3(['cp', file, `s3://${bucket}/docs/`])).code).toBe(0);
    expect((await s3(['cp', file, `s3://${bucket}/docs/renamed.txt`])).code).toBe(0);
    expect((await s3(['upload', file, `s3://${bucket}/up`])).code).toBe(0); // upload of a file: into the prefix
    expect(await keys()).toEqual(['docs/renamed.txt', 'docs/report.txt', 'up/report.txt']);

    const into = join(work, 'down');
    await mkdir(into);
    const down = await s3(['cp', `s3://${bucket}/docs/renamed.txt`, into]);
    expect(down.code).toBe(0);
    expect(down.stdout).toMatch(new RegExp(`^download s3://${bucket}/docs/renamed.txt → ${join(into, 'renamed.txt')}: 1 transferred`));
    expect(await readFile(join(into, 'renamed.txt'), 'utf8')).toBe('the report');
    expect((await s3(['cp', `s3://${bucket}/docs/report.txt`, join(work, 'new/name.txt')])).code).toBe(0);
    expect(await readFile(join(work, 'new/name.txt'), 'utf8')).toBe('the report');

    const missing = await s3(['cp', `s3://${bucket}/docs/nope.txt`, into]);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toMatch(/ {2}failed: docs\/nope\.txt: ERR_S3_NOT_FOUND /);

    const dir = await s3(['cp', work, `s3://${bucket}/tree/`]);
    expect(dir.code).toBe(2);
    expect(dir.stderr).toContain(`futures s3: ${work} is a directory: add --recursive (-r) to copy the tree under it (or use futures s3 upload)\nTry: futures s3 --help`);
    const prefix = await s3(['cp', `s3://${bucket}/docs/`, into]);
    expect(prefix.code).toBe(2);
    expect(prefix.stderr).toContain(`s3://${bucket}/docs/ is a prefix, not an object: add --recursive (-r) to copy every object under it`);
  });

  it('copies on the server: one object into a prefix or to a new name, and a prefix with -r', async () => {
    const src = join(work, 'src');
    const files = await makeTree(src);
    await s3(['cp', '--recursive', src, `s3://${bucket}/from/`, ...SMALL_PARTS]);
    const one = await s3(['cp', `s3://${bucket}/from/docs/b.md`, `s3://${bucket}/one/`]);
    expect(one.code).toBe(0);
    expect(one.stderr).toContain(`[1/1] copy: s3://${bucket}/from/docs/b.md to s3://${bucket}/one/b.md (4 B)`);
    expect(one.stdout).toMatch(new RegExp(`^copy s3://${bucket}/from/docs/b.md → s3://${bucket}/one/b.md: 1 transferred`));
    const tree = await s3(['cp', '-r', `s3://${bucket}/from`, `s3://${bucket}/to/`, ...SMALL_PARTS]);
    expect(tree.code).toBe(0);
    expect(await keys('to/')).toEqual([...files.keys()].map((name) => `to/${name}`).sort());
    const back = join(work, 'back');
    expect((await s3(['cp', '-r', `s3://${bucket}/to/`, back])).code).toBe(0);
    expect(await readTree(back)).toEqual(digests(files));

    const rename = await s3(['cp', `s3://${bucket}/from/a.txt`, `s3://${bucket}/one/z.txt`]);
    expect(rename.code).toBe(0);
    expect(await keys('one/')).toEqual(['one/b.md', 'one/z.txt']);
    const missing = await s3(['cp', `s3://${bucket}/from/docs`, `s3://${bucket}/one/`]);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain(`s3://${bucket}/from/docs is not an object but a prefix of 2 objects: add --recursive (-r) to copy them all`);
  });
});

describe('futures s3 rm', () => {
  it('deletes one object without --recursive, and a prefix only with it', async () => {
    const src = join(work, 'src');
    await makeTree(src);
    await s3(['upload', src, `s3://${bucket}/p/`, '--exclude', 'big.bin']);
    const all = await keys();

    for (const target of [`s3://${bucket}/p/`, `s3://${bucket}`]) {
      const refused = await s3(['rm', target]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('is a prefix, not an object: add --recursive (-r) to delete every object under it');
    }
    const name = await s3(['rm', `s3://${bucket}/p/docs`]);
    expect(name.code).toBe(2);
    expect(name.stderr).toContain(`s3://${bucket}/p/docs is not an object but a prefix of 2 objects: add --recursive (-r) to delete them all`);
    expect(await keys()).toEqual(all);

    const one = await s3(['rm', `s3://${bucket}/p/docs/b.md`]);
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(new RegExp(`^remove s3://${bucket}/p/docs/b.md: 0 transferred, 0 unchanged, 1 deleted, 0 failed`));
    expect(await keys()).toEqual(all.filter((key) => key !== 'p/docs/b.md'));
    const gone = await s3(['rm', `s3://${bucket}/p/docs/b.md`]);
    expect(gone.code).toBe(0);
    expect(gone.stderr).toContain(`nothing to delete: there is no object s3://${bucket}/p/docs/b.md`);

    // One object whose name is a glob that would match its neighbour: only it goes.
    const file = join(work, 'odd.txt');
    await writeFile(file, 'odd');
    for (const key of ['odd/we*ird [1] {a,b}.txt', 'odd/weXXird 1 a.txt']) expect((await s3(['cp', file, `s3://${bucket}/${key}`])).code).toBe(0);
    expect((await s3(['rm', `s3://${bucket}/odd/we*ird [1] {a,b}.txt`])).code).toBe(0);
    expect(await keys('odd/')).toEqual(['odd/weXXird 1 a.txt']);
    await s3(['rm', `s3://${bucket}/odd/weXXird 1 a.txt`]);

    const dry = await s3(['rm', '-r', `s3://${bucket}/p/docs`, '--dryrun']);
    expect(dry.stdout).toContain(`(dryrun) delete: s3://${bucket}/p/docs/deep/c.json\n`);
    expect(await keys()).toHaveLength(all.length - 1);
    const recursive = await s3(['rm', '--recursive', `s3://${bucket}/p/`, '--json']);
    expect(recursive.code).toBe(0);
    expect(JSON.parse(recursive.stdout)).toMatchObject({ command: 'rm', operation: 'remove', deleted: all.length - 1, failed: 0 });
    expect(await keys()).toEqual([]);
  });
});

describe('futures s3 output and exit status', () => {
  it('--json prints the summary (with every failure); a refused hostile key is a failure: exit 1, nothing written outside', async () => {
    const file = join(work, 'x.txt');
    await writeFile(file, 'payload');
    for (const key of ['p/ok.txt', 'p/../../x', 'p/sub/fine.txt']) await uploadFile({ ...connection, bucket, key, file });
    const dst = join(work, 'out', 'dst');

    const human = await s3(['download', `s3://${bucket}/p/`, dst]);
    expect(human.code).toBe(1);
    expect(human.stderr).toContain(`FAILED download: s3://${bucket}/p/../../x: ERR_S3_UNSAFE_KEY refused key "p/../../x"`);
    expect(human.stdout).toMatch(/: 2 transferred, 0 unchanged, 0 deleted, 1 failed\n.*\n {2}failed: p\/\.\.\/\.\.\/x: ERR_S3_UNSAFE_KEY refused key/);
    expect((await readdir(work)).sort()).toEqual(['out', 'x.txt']);
    expect((await readdir(join(work, 'out'))).sort()).toEqual(['dst']);

    const json = await s3(['download', `s3://${bucket}/p/`, join(work, 'json'), '--json']);
    expect(json.code).toBe(1);
    expect(json.stderr).toMatch(/^FAILED download: .+ ERR_S3_UNSAFE_KEY .+\n$/); // --json: no progress, only the failures
    const summary = JSON.parse(json.stdout) as Record<string, unknown>;
    expect(Object.keys(summary)).toEqual(
      expect.arrayContaining(['command', 'operation', 'source', 'destination', 'dryRun', 'interrupted', 'planned', 'transferred', 'unchanged', 'deleted', 'failed', 'bytes', 'durationMs', 'objectsPerSecond', 'bytesPerSecond', 'failures', 'skipped', 'actions']),
    );
    expect(summary).toMatchObject({ command: 'download', operation: 'download', source: `s3://${bucket}/p/`, dryRun: false, interrupted: false, transferred: 2, failed: 1, bytes: 14 });
    expect(summary.failures).toEqual([{ key: 'p/../../x', code: 'ERR_S3_UNSAFE_KEY', message: expect.stringContaining('refused key') as unknown }]);
    expect(Number.isInteger(summary.durationMs)).toBe(true);
  });

  it('a bucket that does not exist stops the run: exit 1 with the error', async () => {
    const result = await s3(['download', `s3://${bucket}-missing/p/`, join(work, 'd'), '--json']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^futures s3 download: listing s3:\/\/.+-missing\/p\/: NoSuchBucket.* \[ERR_S3_NOT_FOUND\]\n$/);
    expect(JSON.parse(result.stdout)).toMatchObject({ command: 'download', error: { code: 'ERR_S3_NOT_FOUND' } });
  });

  it('usage errors exit 2 with the message and a pointer to --help', async () => {
    const src = join(work, 'src');
    await mkdir(src);
    await writeFile(join(src, 'a.txt'), 'a');
    const cases: [string[], string][] = [
      [['upload', src, 'bucket/prefix'], 'expected s3://bucket/prefix as the destination, got "bucket/prefix"'],
      [['upload', src, 's3://'], '"s3://" names no bucket'],
      [['upload', src, `s3://${bucket}/`, '--part-size', '1M'], '--part-size must be at least 5 MiB, got "1M"'],
      [['upload', src, `s3://${bucket}/`, '--part-size', '8 bananas'], '--part-size expects a size like 8M, 64MiB or 8388608 (bytes), got "8 bananas"'],
      [['upload', src, `s3://${bucket}/`, '--multipart-threshold', '4M'], '--multipart-threshold must be at least 5 MiB, got "4M"'],
      [['upload', src, `s3://${bucket}/`, '-j', '0'], '--concurrency expects a whole number from 1 to 10000, got "0"'],
      [['upload', src, `s3://${bucket}/`, '--retries', 'many'], '--retries expects a whole number from 0 to 100, got "many"'],
      [['upload', src, `s3://${bucket}/`, '--frobnicate'], "Unknown option '--frobnicate'"],
      [['upload', src, `s3://${bucket}/`, '--delete'], '--delete works with sync only'],
      [['upload', join(work, 'nope'), `s3://${bucket}/`], `no such file or directory: ${join(work, 'nope')}`],
      [['sync', src, `s3://${bucket}/`, '--compare', 'mtime'], '--compare must be size-mtime, size or checksum, got "mtime"'],
      [['sync', src, `s3://${bucket}/`, '--size-only', '--checksum'], 'give only one of --size-only, --checksum'],
      [['sync', src, join(work, 'other')], 'sync needs an s3:// location on at least one side'],
      [['cp', join(src, 'a.txt'), `s3://${bucket}/`, '--exclude', '*.txt'], '--include and --exclude filter the files of a tree'],
      [['upload', src, `s3://${bucket}/`, '--follow-symlinks', '--no-follow-symlinks'], 'give --follow-symlinks or --no-follow-symlinks, not both'],
      [['download', `s3://${bucket}/`], 'download takes <s3://bucket/prefix> <dir>, got 1 argument'],
      [['move', 'a', 'b'], 'unknown subcommand "move"; expected upload, download, cp, sync, rm'],
    ];
    for (const [args, message] of cases) {
      const result = await s3(args);
      expect({ args, code: result.code }).toEqual({ args, code: 2 });
      expect(result.stderr).toContain(`futures s3: ${message}`);
      expect(result.stderr).toContain('Try: futures s3 --help');
    }
    const badEndpoint = await runMain(['s3', 'upload', src, `s3://${bucket}/`], { env: { ...env, AWS_ENDPOINT_URL: 'localhost:9000' } });
    expect(badEndpoint.code).toBe(2);
    expect(badEndpoint.stderr).toContain('AWS_ENDPOINT_URL must be an http(s) URL like http://127.0.0.1:7480, got "localhost:9000"');
    expect(await keys()).toEqual([]);
  });

  it('takes the endpoint from AWS_ENDPOINT_URL and sizes in every spelling', async () => {
    const src = join(work, 'src');
    await makeTree(src);
    const result = await runMain(['s3', 'upload', src, `s3://${bucket}/env/`, '--part-size', '5242880', '--multipart-threshold', '5MB', '--part-concurrency', '2', '--retries', '1'], {
      env: { ...env, AWS_ENDPOINT_URL: connection.endpoint as string },
    });
    expect(result.code).toBe(0);
    expect(await keys('env/')).toHaveLength(5);
    expect([parseByteSize('8M'), parseByteSize('64MiB'), parseByteSize('8mb'), parseByteSize('1.5G'), parseByteSize('1024'), parseByteSize('2 KiB'), parseByteSize('8 Mo')]).toEqual([
      8 * MiB,
      64 * MiB,
      8 * MiB,
      1.5 * 1024 * MiB,
      1024,
      2048,
      undefined,
    ]);
  });

  it('on a terminal: one live status line (objects, MiB, rates, ETA), failures above it', async () => {
    const src = join(work, 'src');
    await makeTree(src);
    const result = await s3(['upload', src, `s3://${bucket}/tty/`, ...SMALL_PARTS], { tty: true });
    expect(result.code).toBe(0);
    // eslint-disable-next-line no-control-regex -- the terminal's erase-line sequence
    expect(result.stderr).toMatch(/\r\x1b\[K5\/5 objects \| 12\.0\/12\.0 MiB \| \d+\.\d obj\/s \| \d+\.\d MiB\/s \| 0 failed \| ETA 0s/);
    expect(result.stderr).not.toContain('\n'); // no line per object: only the redrawn status line
    expect(result.stderr.endsWith('\r\x1b[K')).toBe(true); // cleared at the end

    const lines: string[] = [];
    const display = createS3Display({ stdout: process.stdout, stderr: { isTTY: false, write: (text: string) => lines.push(text) } as never, env: {}, onInterrupt: () => () => {} }, false, (o) => `upload: ${o.key}`);
    const base: TransferProgress = { objectsDone: 0, objectsTotal: 5000, bytesDone: 0, bytesTotal: 5000, failed: 0, unchanged: 0, elapsedMs: 1, objectsPerSecond: 1, bytesPerSecond: 1 };
    for (let done = 1; done <= 5000; done++) display.progress({ ...base, objectsDone: done, bytesDone: done, object: { action: 'upload', key: `k${done}`, size: 1, ...(done === 7 ? { error: { key: 'k7', code: 'ERR_S3_REQUEST', message: 'boom' } } : {}) } });
    expect(lines.length).toBeGreaterThanOrEqual(100); // a line per 1 % beyond 1,000 objects (and every failure)
    expect(lines.length).toBeLessThanOrEqual(102);
    expect(lines).toContain('FAILED upload: k7: ERR_S3_REQUEST boom\n');
    expect(lines.at(-1)).toMatch(/^\[5000\/5000\] /);
    expect(statusLine({ ...base, objectsDone: 10, bytesDone: MiB, bytesTotal: 4 * MiB, bytesPerSecond: MiB, objectsPerSecond: 10 })).toBe('  10/5000 objects | 1.0/4.0 MiB | 10.0 obj/s | 1.0 MiB/s | 0 failed | ETA 3s');
    expect(statusLine({ ...base, objectsDone: 1, bytesDone: 512 * 1024, bytesTotal: 5 * 1024 * MiB, bytesPerSecond: MiB })).toBe('   1/5000 objects | 512.0 KiB/5.0 GiB | 1.0 obj/s | 1.0 MiB/s | 0 failed | ETA 1h25m');
  });
});

describe('futures s3, spawned for real', () => {
  it('--help; futures --help lists it; Ctrl-C stops cleanly with exit 130 and a summary', async () => {
    const help = await futures(['s3', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: futures s3 upload <dir> <s3:\/\/bucket\/prefix> \[options\]/);
    for (const flag of ['-r, --recursive', '--delete', '--size-only', '-c, --checksum', '--include <glob>', '--exclude <glob>', '-j, --concurrency <n>', '--part-size <size>', '--dry-run, --dryrun', '--endpoint-url <url>', '--follow-symlinks', '--json']) {
      expect(help.stdout).toContain(flag);
    }
    expect((await futures(['--help'])).stdout).toMatch(/\n {2}s3 +upload, download, copy, sync and delete S3 objects/);

    const src = join(work, 'many');
    await mkdir(src);
    for (let i = 0; i < 400; i++) await writeFile(join(src, `f${String(i).padStart(3, '0')}.txt`), `file ${i}`);
    const result = await futures(['s3', 'upload', src, `s3://${bucket}/many/`, '-j', '1', '--endpoint-url', connection.endpoint as string], (stderr) => stderr.split('\n').length > 5, env);
    expect(result.code).toBe(130);
    expect(result.stderr).toContain('interrupted: stopping');
    expect(result.stdout).toMatch(/^interrupted: upload .+ → s3:\/\/.+\/many\/: \d+ transferred/);
    const uploaded = (await keys('many/')).length;
    expect(uploaded).toBeGreaterThan(0);
    expect(uploaded).toBeLessThan(400);
  });
});
