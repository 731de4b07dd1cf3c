/**
 * The flags of `futures s3` (in the style of `aws s3` and rclone) and what they become: the
 * connection (endpoint, region, credentials from the environment) and the transfer options of
 * @futures/s3. Every bad value is a {@link UsageError} naming the flag.
 */
import type { CompareMode, S3ConnectionOptions, SyncOptions } from '@futures/s3';
import { UsageError, type ParsedArgs } from '../../command.js';

/** The flags every subcommand takes (some only mean something to one of them: checked by {@link checkFlagsFor}). */
export const FLAGS = {
  recursive: { type: 'boolean', short: 'r' },
  delete: { type: 'boolean' },
  compare: { type: 'string' },
  'size-only': { type: 'boolean' },
  checksum: { type: 'boolean', short: 'c' },
  include: { type: 'string', multiple: true },
  exclude: { type: 'string', multiple: true },
  'follow-symlinks': { type: 'boolean' },
  'no-follow-symlinks': { type: 'boolean' },
  concurrency: { type: 'string', short: 'j' },
  'part-size': { type: 'string' },
  'multipart-threshold': { type: 'string' },
  'part-concurrency': { type: 'string' },
  retries: { type: 'string' },
  'dry-run': { type: 'boolean', short: 'n' },
  dryrun: { type: 'boolean' },
  'endpoint-url': { type: 'string' },
  region: { type: 'string' },
  json: { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  'only-show-errors': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The parsed flags. */
export type Values = ParsedArgs<typeof FLAGS>['values'];

/** The subcommands. */
export const SUBCOMMANDS = ['upload', 'download', 'cp', 'sync', 'rm'] as const;

/** One of {@link SUBCOMMANDS}. */
export type Subcommand = (typeof SUBCOMMANDS)[number];

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;
/** The smallest part S3 takes (every part but the last). */
const MIN_PART = 5 * MiB;
/** The largest part S3 takes. */
const MAX_PART = 5 * GiB;

/** Refuses the flags that mean nothing to `subcommand` (rather than ignoring them silently). */
export function checkFlagsFor(subcommand: Subcommand, values: Values): void {
  if (subcommand !== 'sync') {
    for (const flag of ['delete', 'compare', 'size-only', 'checksum'] as const) {
      if (values[flag] !== undefined) throw new UsageError(`--${flag} works with sync only`);
    }
  }
  if (values['follow-symlinks'] === true && values['no-follow-symlinks'] === true) throw new UsageError('give --follow-symlinks or --no-follow-symlinks, not both');
}

/**
 * Where and as whom to connect: `--endpoint-url` (else `AWS_ENDPOINT_URL_S3`, `AWS_ENDPOINT_URL`),
 * `--region` (else `AWS_REGION`, `AWS_DEFAULT_REGION`), and the access keys of `AWS_ACCESS_KEY_ID`
 * / `AWS_SECRET_ACCESS_KEY` / `AWS_SESSION_TOKEN` when both keys are set in `env` (else the SDK's
 * default chain: `AWS_PROFILE`, `~/.aws`, instance roles).
 */
export function connectionOptions(values: Values, env: Readonly<Record<string, string | undefined>>): S3ConnectionOptions {
  const fromEnv = (name: string): string | undefined => (env[name] === undefined || env[name] === '' ? undefined : env[name]);
  const endpoint = values['endpoint-url'] ?? fromEnv('AWS_ENDPOINT_URL_S3') ?? fromEnv('AWS_ENDPOINT_URL');
  if (endpoint !== undefined) endpointUrl(endpoint, values['endpoint-url'] === undefined ? (fromEnv('AWS_ENDPOINT_URL_S3') === undefined ? 'AWS_ENDPOINT_URL' : 'AWS_ENDPOINT_URL_S3') : '--endpoint-url');
  const region = values.region ?? fromEnv('AWS_REGION') ?? fromEnv('AWS_DEFAULT_REGION');
  if (region !== undefined && !/^[a-z0-9-]+$/i.test(region)) throw new UsageError(`--region expects a region name like us-east-1, got ${JSON.stringify(region)}`);
  const accessKeyId = fromEnv('AWS_ACCESS_KEY_ID');
  const secretAccessKey = fromEnv('AWS_SECRET_ACCESS_KEY');
  const sessionToken = fromEnv('AWS_SESSION_TOKEN');
  const credentials = accessKeyId !== undefined && secretAccessKey !== undefined ? { accessKeyId, secretAccessKey, ...(sessionToken === undefined ? {} : { sessionToken }) } : undefined;
  return {
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(region === undefined ? {} : { region }),
    ...(credentials === undefined ? {} : { credentials }),
  };
}

function endpointUrl(text: string, source: string): void {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) throw new UsageError(`${source} must be an http(s) URL like http://127.0.0.1:7480, got ${JSON.stringify(text)}`);
}

/** The part of the library options the flags give (no connection, signal or progress callback). */
export type FlagOptions = Pick<SyncOptions, 'concurrency' | 'partSize' | 'multipartThreshold' | 'partConcurrency' | 'retries' | 'dryRun' | 'include' | 'exclude' | 'symlinks' | 'compare' | 'delete'>;

/** The transfer options of the flags, checked. */
export function transferOptions(values: Values): FlagOptions {
  const partSize = values['part-size'] === undefined ? undefined : size('--part-size', values['part-size'], MIN_PART, MAX_PART);
  const threshold = values['multipart-threshold'] === undefined ? undefined : size('--multipart-threshold', values['multipart-threshold'], MIN_PART);
  const compare = compareMode(values);
  const symlinks = values['follow-symlinks'] === true ? 'follow' : values['no-follow-symlinks'] === true ? 'skip' : undefined;
  return {
    ...(values.concurrency === undefined ? {} : { concurrency: integer('--concurrency', values.concurrency, 1, 10_000) }),
    ...(partSize === undefined ? {} : { partSize }),
    ...(threshold === undefined ? {} : { multipartThreshold: threshold }),
    ...(values['part-concurrency'] === undefined ? {} : { partConcurrency: integer('--part-concurrency', values['part-concurrency'], 1, 1_000) }),
    ...(values.retries === undefined ? {} : { retries: integer('--retries', values.retries, 0, 100) }),
    ...(values['dry-run'] === true || values.dryrun === true ? { dryRun: true } : {}),
    ...(values.include === undefined ? {} : { include: patterns('--include', values.include) }),
    ...(values.exclude === undefined ? {} : { exclude: patterns('--exclude', values.exclude) }),
    ...(symlinks === undefined ? {} : { symlinks }),
    ...(compare === undefined ? {} : { compare }),
    ...(values.delete === true ? { delete: true } : {}),
  };
}

function compareMode(values: Values): CompareMode | undefined {
  const given = [values.compare === undefined ? undefined : '--compare', values['size-only'] === true ? '--size-only' : undefined, values.checksum === true ? '--checksum' : undefined].filter((flag) => flag !== undefined);
  if (given.length > 1) throw new UsageError(`give only one of ${given.join(', ')}`);
  if (values['size-only'] === true) return 'size';
  if (values.checksum === true) return 'checksum';
  const mode = values.compare;
  if (mode === undefined) return undefined;
  if (mode !== 'size-mtime' && mode !== 'size' && mode !== 'checksum') throw new UsageError(`--compare must be size-mtime, size or checksum, got ${JSON.stringify(mode)}`);
  return mode;
}

function patterns(flag: string, values: readonly string[]): string[] {
  for (const pattern of values) if (pattern === '') throw new UsageError(`${flag} expects a glob pattern, got ""`);
  return [...values];
}

/** A whole number from `min` to `max`. */
export function integer(flag: string, text: string, min: number, max: number): number {
  const value = Number(text.replaceAll('_', ''));
  if (text.trim() === '' || !Number.isInteger(value) || value < min || value > max) throw new UsageError(`${flag} expects a whole number from ${min} to ${max}, got ${JSON.stringify(text)}`);
  return value;
}

/**
 * A size in bytes from `8388608`, `8M`, `8MB`, `8MiB`, `1.5G`: the units are 1024-based, as in
 * `aws s3` (`multipart_chunksize = 8MB`) and rclone (`--s3-chunk-size 64M`).
 */
export function parseByteSize(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*(?:([kmgt])(?:i?b)?|b)?$/i.exec(text.trim());
  if (match === null) return undefined;
  const power = { '': 0, k: 1, m: 2, g: 3, t: 4 }[(match[2] ?? '').toLowerCase() as '' | 'k' | 'm' | 'g' | 't'];
  const value = Math.round(Number(match[1]) * 1024 ** power);
  return Number.isSafeInteger(value) ? value : undefined;
}

function size(flag: string, text: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const value = parseByteSize(text);
  if (value === undefined) throw new UsageError(`${flag} expects a size like 8M, 64MiB or 8388608 (bytes), got ${JSON.stringify(text)}`);
  if (value < min) throw new UsageError(`${flag} must be at least ${min / MiB} MiB, got ${JSON.stringify(text)}`);
  if (value > max) throw new UsageError(`${flag} must be at most ${max / GiB} GiB, got ${JSON.stringify(text)}`);
  return value;
}
