/**
 * The contenders of the s3 bench. Each uploads a workload's directory to `s3://bucket/prefix/`
 * and (except lib-storage, which has no download) downloads that prefix into an empty
 * directory: @futures/s3 (`upload` / `download`), a sequential PutObject / GetObject loop,
 * `Promise.all` over every PutObject / GetObject at once with the SDK's defaults, lib-storage's
 * `Upload` for every file at once, and rclone (`rclone copy` both ways) with its defaults and
 * tuned. The SDK cases build a plain `S3Client` (endpoint, region, credentials, path-style and
 * nothing else); the naive loops list the prefix and walk the directory inside the timed part,
 * as @futures/s3 and rclone do.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { download, upload, type TransferOptions, type TransferSummary } from '@futures/s3';
import { connection, external, runCommand } from './server.js';
import { listPrefix, type Workload } from './workload.js';

/** Where one run of a case puts things. */
export interface CaseContext {
  readonly workload: Workload;
  readonly bucket: string;
  /** Ends with `/`; fresh for every run. */
  readonly prefix: string;
  /** An empty local directory to download into. */
  readonly out: string;
}

/** One contender. */
export interface S3Case {
  readonly name: string;
  /** `ours` rows are compared with every other; `rclone` rows are the baselines. */
  readonly role: 'ours' | 'rclone' | 'peer';
  /** Moves only every `sample`-th file of the workload (a case too slow for all of it); rates are per object and byte moved. */
  readonly sample?: number;
  upload(context: CaseContext): Promise<void>;
  /** Undefined when the tool has no download (lib-storage). */
  readonly download: ((context: CaseContext) => Promise<void>) | undefined;
  /** A line under the tables (e.g. the flags of a row whose name does not show them). */
  readonly note?: string;
}

const uri = (context: CaseContext): string => `s3://${context.bucket}/${context.prefix}`;

function checkSummary(summary: TransferSummary, context: CaseContext, what: string): void {
  if (summary.failed > 0 || summary.transferred !== context.workload.files.length) {
    const first = summary.failures[0];
    throw new Error(`@futures/s3 ${what}: ${summary.transferred} transferred, ${summary.failed} failed${first === undefined ? '' : ` (${first.code}: ${first.message})`}`);
  }
}

/** @futures/s3 with `options` on top of the connection (none: its defaults). */
function ours(name: string, options: TransferOptions): S3Case {
  return {
    name,
    role: 'ours',
    async upload(context) {
      checkSummary(await upload(context.workload.directory, uri(context), { ...connection, ...options }), context, 'upload');
    },
    async download(context) {
      checkSummary(await download(uri(context), context.out, { ...connection, ...options }), context, 'download');
    },
  };
}

/**
 * Requests that waited for a socket, per case: the most the SDK's "socket usage at capacity"
 * warning reported (it warns at most every 15 s), for a note under the tables instead of
 * console lines in the middle of the run.
 */
export const socketWarnings = new Map<string, number>();

/**
 * An S3Client with the SDK's defaults (50 sockets, keep-alive, its checksums): only where and
 * who. The handler options (`{ logger }`) are what the default handler gets in the default
 * "legacy" defaults mode, plus a logger that records the socket warnings for {@link socketWarnings}.
 */
function defaultClient(caseName: string): S3Client {
  const record = (message: unknown): void => {
    const enqueued = /and (\d+) additional requests are enqueued/.exec(String(message));
    if (enqueued === null) console.warn(message);
    else socketWarnings.set(caseName, Math.max(socketWarnings.get(caseName) ?? 0, Number(enqueued[1])));
  };
  const logger = { debug: () => {}, info: () => {}, warn: record, error: (message: unknown) => console.error(message) };
  return new S3Client({ endpoint: connection.endpoint, region: connection.region, credentials: connection.credentials, forcePathStyle: true, requestHandler: { logger } });
}

/** Runs `work` with a fresh {@link defaultClient} of `caseName`, destroyed afterwards. */
async function withDefaultClient(caseName: string, work: (client: S3Client) => Promise<unknown>): Promise<void> {
  const client = defaultClient(caseName);
  try {
    await work(client);
  } finally {
    client.destroy();
  }
}

/** The files under `directory`: path and key relative to it (`/` separators), as a naive loop finds them. */
async function walk(directory: string): Promise<{ path: string; relative: string }[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const path = join(entry.parentPath, entry.name);
      return { path, relative: relative(directory, path).split(sep).join('/') };
    });
}

/** GetObject of `key`, its body streamed to `path` (parent directories made first). */
async function getToFile(client: S3Client, bucket: string, key: string, path: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const answer = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  await pipeline(answer.Body as Readable, createWriteStream(path));
}

/** Local path of `key` under `out`. */
const localPath = (context: CaseContext, key: string): string => join(context.out, ...key.slice(context.prefix.length).split('/'));

const SEQUENTIAL = 'SDK: sequential PutObject / GetObject loop';
const PROMISE_ALL = 'SDK: Promise.all, all objects at once (SDK defaults)';
const LIB_STORAGE = 'lib-storage: Promise.all(new Upload(…).done()) (defaults)';

const sequential = (sample: number | undefined, files: number): S3Case => ({
  name: `${SEQUENTIAL}${sample === undefined ? '' : ` (${Math.ceil(files / sample).toLocaleString('en-US')} of the files)`}`,
  role: 'peer',
  ...(sample === undefined ? {} : { sample }),
  async upload(context) {
    await withDefaultClient(SEQUENTIAL, async (client) => {
      for (const file of await walk(context.workload.directory)) {
        await client.send(new PutObjectCommand({ Bucket: context.bucket, Key: context.prefix + file.relative, Body: await readFile(file.path) }));
      }
    });
  },
  async download(context) {
    await withDefaultClient(SEQUENTIAL, async (client) => {
      for (const key of (await listPrefix(client, context.bucket, context.prefix)).keys()) await getToFile(client, context.bucket, key, localPath(context, key));
    });
  },
});

const promiseAll: S3Case = {
  name: PROMISE_ALL,
  role: 'peer',
  async upload(context) {
    await withDefaultClient(PROMISE_ALL, async (client) => {
      const files = await walk(context.workload.directory);
      await Promise.all(files.map(async (file) => client.send(new PutObjectCommand({ Bucket: context.bucket, Key: context.prefix + file.relative, Body: await readFile(file.path) }))));
    });
  },
  async download(context) {
    await withDefaultClient(PROMISE_ALL, async (client) => {
      const keys = [...(await listPrefix(client, context.bucket, context.prefix)).keys()];
      await Promise.all(keys.map((key) => getToFile(client, context.bucket, key, localPath(context, key))));
    });
  },
};

const libStorage: S3Case = {
  name: LIB_STORAGE,
  role: 'peer',
  async upload(context) {
    await withDefaultClient(LIB_STORAGE, async (client) => {
      const files = await walk(context.workload.directory);
      await Promise.all(files.map((file) => new Upload({ client, params: { Bucket: context.bucket, Key: context.prefix + file.relative, Body: createReadStream(file.path) } }).done()));
    });
  },
  download: undefined,
};

/** rclone's remote `T:` from environment variables only (no config file); AWS_CA_BUNDLE unset. */
function rcloneEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.AWS_CA_BUNDLE;
  return {
    ...env,
    RCLONE_CONFIG_T_TYPE: 's3',
    RCLONE_CONFIG_T_PROVIDER: external ? 'Other' : 'Ceph',
    RCLONE_CONFIG_T_ACCESS_KEY_ID: connection.credentials.accessKeyId,
    RCLONE_CONFIG_T_SECRET_ACCESS_KEY: connection.credentials.secretAccessKey,
    RCLONE_CONFIG_T_ENDPOINT: connection.endpoint,
    ...(external ? { RCLONE_CONFIG_T_REGION: connection.region } : {}),
  };
}

async function rclone(args: readonly string[]): Promise<void> {
  const result = await runCommand('rclone', args, rcloneEnv());
  if (result.code !== 0) throw new Error(`rclone ${args.join(' ')} exited with ${result.code}:\n${result.stderr.trimEnd().split('\n').slice(-15).join('\n')}`);
}

/** `rclone copy` both ways with `flags` (none: rclone's defaults). */
function rcloneCase(name: string, flags: readonly string[]): S3Case {
  const remote = (context: CaseContext): string => `T:${context.bucket}/${context.prefix.replace(/\/$/, '')}`;
  return {
    name,
    role: 'rclone',
    ...(flags.length > 0 && !name.includes(flags[0] ?? '') ? { note: `${name}: rclone copy ${flags.join(' ')}, both ways.` } : {}),
    upload: (context) => rclone(['copy', context.workload.directory, remote(context), ...flags]),
    download: (context) => rclone(['copy', remote(context), context.out, ...flags]),
  };
}

/** True when rclone runs (`rclone version`); the rclone rows are left out, with a note, otherwise. */
export async function rcloneAvailable(): Promise<boolean> {
  try {
    return (await runCommand('rclone', ['version'], rcloneEnv())).code === 0;
  } catch {
    return false;
  }
}

/**
 * The sequential loop's sample of the small files: every 16th (125 of 2,000). radosgw (beast
 * without `tcp_nodelay`) answers a small GET on a kept-alive connection ~44 ms late, after the
 * client's delayed ACK (Nagle on its side), so one GET after another would take 90 s for 2,000.
 */
export const SEQUENTIAL_SAMPLE = 16;

/** The cases of a workload of `files` files, in table order. */
export function casesFor(workload: Workload['id'], files: number): S3Case[] {
  if (workload === 'small') {
    return [
      ours('@futures/s3 (defaults: concurrency 16)', {}),
      sequential(SEQUENTIAL_SAMPLE, files),
      promiseAll,
      libStorage,
      rcloneCase('rclone copy (defaults: --transfers 4 --checkers 8)', []),
      rcloneCase('rclone copy --transfers 16 --checkers 16', ['--transfers', '16', '--checkers', '16']),
    ];
  }
  return [
    ours('@futures/s3 (defaults: part 8 MiB, 4 parts per file)', {}),
    sequential(undefined, files),
    promiseAll,
    libStorage,
    rcloneCase('rclone copy (defaults)', []),
    rcloneCase('rclone copy, tuned', ['--s3-chunk-size', '16M', '--s3-upload-concurrency', '8', '--multi-thread-streams', '8']),
  ];
}
