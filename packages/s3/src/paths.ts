/**
 * Keys to local paths and back, safely: a key never writes outside the target directory, and
 * local paths become keys with `/` separators.
 */
import { realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { S3TransferError } from './errors.js';

/**
 * Why `relativeKey` (a key with its prefix removed) cannot be a path under a directory, or
 * `undefined` when it can: absolute paths, drive letters, `.` or `..` segments (with `/` or
 * `\` separators), empty segments, NUL bytes.
 */
export function unsafeKeyReason(relativeKey: string): string | undefined {
  if (relativeKey === '') return 'it names the directory itself';
  if (relativeKey.includes('\0')) return 'it contains a NUL byte';
  if (relativeKey.startsWith('/') || relativeKey.startsWith('\\') || /^[A-Za-z]:/.test(relativeKey) || isAbsolute(relativeKey)) return 'it is an absolute path';
  if (relativeKey.endsWith('/') || relativeKey.endsWith('\\')) return 'it ends with a separator (a directory name, not a file)';
  const segments = relativeKey.split(/[/\\]/);
  if (segments.some((segment) => segment === '..')) return 'it has a ".." segment';
  if (segments.some((segment) => segment === '.')) return 'it has a "." segment';
  if (segments.slice(0, -1).some((segment) => segment === '')) return 'it has an empty path segment ("//")';
  return undefined;
}

/**
 * The local path for `relativeKey` under `root`, or an `ERR_S3_UNSAFE_KEY` error naming the key
 * and the reason. `key` is the full key, for the message.
 */
export function localPathFor(root: string, relativeKey: string, key: string): string {
  const reason = unsafeKeyReason(relativeKey);
  const base = resolve(root);
  const path = resolve(base, ...relativeKey.split('/'));
  if (reason === undefined && isInside(base, path)) return path;
  throw new S3TransferError('ERR_S3_UNSAFE_KEY', `refused key ${JSON.stringify(key)}: ${reason ?? 'it resolves outside the target directory'}; nothing was written for it`, { key });
}

/** True when `path` is `root` or below it (both absolute and normalised). */
export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}

/**
 * Checks, once the directory of `path` exists, that it really lies under `root` (no symlinked
 * directory inside the target leads elsewhere); throws `ERR_S3_UNSAFE_KEY` otherwise.
 */
export async function assertRealDirectoryInside(realRoot: string, directory: string, key: string): Promise<void> {
  const real = await realpath(directory);
  if (real !== realRoot && !isInside(realRoot, real)) {
    throw new S3TransferError('ERR_S3_UNSAFE_KEY', `refused key ${JSON.stringify(key)}: its directory ${directory} is a link to ${real}, outside the target directory`, { key });
  }
}

/** A relative local path as the key suffix: `/` separators. */
export function toKeySuffix(relativePath: string): string {
  return sep === '/' ? relativePath : relativePath.split(sep).join('/');
}
