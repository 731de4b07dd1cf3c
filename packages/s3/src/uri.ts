/** `s3://bucket/prefix` locations: parsing, and telling them from local paths. */
import { S3TransferError } from './errors.js';

/** A place in S3: a bucket and a key prefix (`''` for the whole bucket). */
export interface S3Location {
  /** The bucket's name. */
  readonly bucket: string;
  /** The key prefix, without a leading `/`; `'photos/2024/'` or `''`. */
  readonly prefix: string;
}

/** Bucket names S3 accepts (3-63 characters of lowercase letters, digits, dots and hyphens; also the older, laxer names with `_` and capitals). */
const BUCKET = /^[A-Za-z0-9][A-Za-z0-9._-]{1,254}$/;

/** True when `text` is an `s3://` URI (whatever follows). */
export function isS3Uri(text: string): boolean {
  return /^s3:\/\//i.test(text);
}

/**
 * Parses `s3://bucket/prefix` (the form of `aws s3` and rclone). Throws an
 * {@link S3TransferError} with code `ERR_S3_BAD_URI` that names the problem.
 *
 * @example parseS3Uri('s3://photos/2024/') // { bucket: 'photos', prefix: '2024/' }
 */
export function parseS3Uri(uri: string): S3Location {
  if (typeof uri !== 'string') throw new TypeError(`an S3 location must be a string like "s3://bucket/prefix", got ${typeof uri}`);
  if (!isS3Uri(uri)) throw new S3TransferError('ERR_S3_BAD_URI', `expected an S3 location like "s3://bucket/prefix", got ${JSON.stringify(uri)}`);
  const rest = uri.slice('s3://'.length);
  const slash = rest.indexOf('/');
  const bucket = slash === -1 ? rest : rest.slice(0, slash);
  const prefix = slash === -1 ? '' : rest.slice(slash + 1);
  if (bucket === '') throw new S3TransferError('ERR_S3_BAD_URI', `${JSON.stringify(uri)} names no bucket (expected "s3://bucket/prefix")`);
  if (!BUCKET.test(bucket)) throw new S3TransferError('ERR_S3_BAD_URI', `${JSON.stringify(bucket)} in ${JSON.stringify(uri)} is not a valid bucket name`);
  return { bucket, prefix };
}

/** `s3://bucket/prefix` for a location. */
export function formatS3Uri(location: S3Location, key = location.prefix): string {
  return `s3://${location.bucket}/${key}`;
}

/**
 * The prefix a directory-like copy works under: `''` stays `''`, `'a'` becomes `'a/'` (so
 * `s3://b/photos` means the "folder" photos, not every key starting with "photos", as in `aws s3`).
 */
export function directoryPrefix(prefix: string): string {
  return prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
}
