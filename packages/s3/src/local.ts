/**
 * Walks a local directory tree for upload and sync: regular files with their size and mtime,
 * relative paths with `/` separators. Symbolic links are followed only as `symlinks` allows
 * (by default, only those whose target lies inside the tree), and a directory reached twice
 * (a link cycle) is walked once.
 */
import type { Dirent } from 'node:fs';
import { lstat, opendir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { S3TransferError } from './errors.js';
import type { EntryFilter } from './filter.js';
import type { SkippedEntry } from './options.js';
import { isInside, toKeySuffix } from './paths.js';

/** A regular file found by {@link walkTree}. */
export interface LocalFile {
  /** Absolute path. */
  readonly path: string;
  /** Relative to the root, with `/` separators. */
  readonly relative: string;
  /** Bytes. */
  readonly size: number;
  /** Last modification, ms since the epoch. */
  readonly mtimeMs: number;
}

/** What {@link walkTree} found. */
export interface LocalTree {
  /** The files (filtered), sorted by relative path. */
  readonly files: LocalFile[];
  /** What was left out and why (links out of the tree, sockets, unreadable directories). */
  readonly skipped: SkippedEntry[];
}

/**
 * Lists the regular files under `root`. A missing root gives an empty tree when `missingIsEmpty`
 * (sync into a new directory), else an `ERR_S3_LOCAL_IO` error.
 */
export async function walkTree(root: string, filter: EntryFilter, symlinks: 'inside' | 'skip' | 'follow', missingIsEmpty = false, signal?: AbortSignal): Promise<LocalTree> {
  const files: LocalFile[] = [];
  const skipped: SkippedEntry[] = [];
  let realRoot: string;
  try {
    realRoot = await realpath(root);
    const info = await stat(realRoot);
    if (!info.isDirectory()) throw new S3TransferError('ERR_S3_LOCAL_IO', `${root} is not a directory`, { path: root });
  } catch (error) {
    if (error instanceof S3TransferError) throw error;
    if ((error as { code?: unknown }).code === 'ENOENT' && missingIsEmpty) return { files, skipped };
    throw new S3TransferError('ERR_S3_LOCAL_IO', `cannot read the directory ${root}: ${(error as Error).message}`, { path: root }, { cause: error });
  }
  const seen = new Set<string>([realRoot]);

  async function visit(directory: string, relative: string): Promise<void> {
    signal?.throwIfAborted();
    let entries: Dirent[];
    try {
      entries = [];
      for await (const entry of await opendir(directory)) entries.push(entry);
    } catch (error) {
      skipped.push({ name: relative === '' ? '.' : relative, reason: `unreadable directory: ${(error as Error).message}` });
      return;
    }
    for (const entry of entries) {
      const path = join(directory, entry.name);
      const rel = relative === '' ? entry.name : `${relative}/${entry.name}`;
      const isLink = entry.isSymbolicLink();
      let target = path;
      if (isLink) {
        if (symlinks === 'skip') {
          skipped.push({ name: rel, reason: 'symbolic link (symlinks: skip)' });
          continue;
        }
        try {
          target = await realpath(path);
        } catch {
          skipped.push({ name: rel, reason: 'broken symbolic link' });
          continue;
        }
        if (symlinks === 'inside' && target !== realRoot && !isInside(realRoot, target)) {
          skipped.push({ name: rel, reason: `symbolic link to ${target}, outside the tree (symlinks: 'follow' uploads it)` });
          continue;
        }
      }
      const info = isLink ? await stat(target).catch(() => undefined) : await lstat(path).catch(() => undefined);
      if (info === undefined) {
        skipped.push({ name: rel, reason: 'vanished while listing' });
        continue;
      }
      if (info.isDirectory()) {
        const real = isLink ? target : path; // `directory` is always a real path here
        if (isLink && seen.has(real)) {
          skipped.push({ name: rel, reason: 'link to a directory already walked (a cycle)' });
          continue;
        }
        seen.add(real);
        await visit(real, rel);
      } else if (info.isFile()) {
        const suffix = toKeySuffix(rel);
        if (filter(suffix)) files.push({ path: isLink ? target : path, relative: suffix, size: info.size, mtimeMs: info.mtimeMs });
      } else {
        skipped.push({ name: rel, reason: 'not a regular file' });
      }
    }
  }

  await visit(realRoot, '');
  files.sort((a, b) => (a.relative < b.relative ? -1 : a.relative > b.relative ? 1 : 0));
  return { files, skipped };
}
