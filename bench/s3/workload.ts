/**
 * The two workloads of the s3 bench, generated once per run in a temporary directory (random
 * content, sizes from a fixed seed so every run moves the same bytes), and the cheap checks that
 * every case moved all of them: count, total bytes and names, of the objects listed after an
 * upload and of the files found after a download.
 */
import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';

const KiB = 1024;
export const MiB = 1024 * KiB;

/** One generated file: its path, its path relative to the workload's directory (`/` separators) and size. */
export interface WorkloadFile {
  readonly path: string;
  readonly relative: string;
  readonly size: number;
}

/** A directory of files to upload, and what a complete copy of it has. */
export interface Workload {
  readonly id: 'small' | 'big';
  /** For titles: `2,000 files of 4–64 KiB`. */
  readonly title: string;
  readonly directory: string;
  readonly files: readonly WorkloadFile[];
  readonly bytes: number;
}

/** A small xorshift32: the same sizes on every run. */
function sizes(count: number, min: number, max: number, seed: number): number[] {
  let state = seed >>> 0 || 1;
  return Array.from({ length: count }, () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return min + (state % (max - min + 1));
  });
}

/** `count` files of 4–64 KiB in 20 directories (100 per directory for 2,000). */
export async function smallFiles(root: string, count: number): Promise<Workload> {
  const directory = join(root, 'small');
  const files: WorkloadFile[] = [];
  const folders = Math.max(1, Math.min(20, Math.ceil(count / 100)));
  for (let d = 0; d < folders; d++) await mkdir(join(directory, `d${String(d).padStart(2, '0')}`), { recursive: true });
  const all = sizes(count, 4 * KiB, 64 * KiB, 0x5eed);
  for (let i = 0; i < count; i++) {
    const size = all[i] ?? 4 * KiB;
    const rel = `d${String(i % folders).padStart(2, '0')}/file-${String(i).padStart(5, '0')}.bin`;
    const path = join(directory, ...rel.split('/'));
    await writeFile(path, randomBytes(size));
    files.push({ path, relative: rel, size });
  }
  return { id: 'small', title: `${count.toLocaleString('en-US')} files of 4–64 KiB`, directory, files, bytes: files.reduce((sum, f) => sum + f.size, 0) };
}

/** `count` files of `size` bytes (in `root/name`), written in 1 MiB chunks of random bytes. */
export async function bigFiles(root: string, count: number, size: number, name = 'big'): Promise<Workload> {
  const directory = join(root, name);
  await mkdir(directory, { recursive: true });
  const files: WorkloadFile[] = [];
  for (let i = 0; i < count; i++) {
    const rel = `big-${i}.bin`;
    const path = join(directory, rel);
    const handle = await open(path, 'w');
    try {
      for (let written = 0; written < size; written += MiB) await handle.write(randomBytes(Math.min(MiB, size - written)));
    } finally {
      await handle.close();
    }
    files.push({ path, relative: rel, size });
  }
  return { id: 'big', title: `${count} files of ${size / MiB} MiB`, directory, files, bytes: count * size };
}

/**
 * Every `every`-th file of `workload` (hard links under `root/name`): a smaller sample of the same
 * files, for the warm-up round and for cases too slow for the whole workload.
 */
export async function sampleOf(workload: Workload, every: number, root: string, name: string): Promise<Workload> {
  const directory = join(root, name);
  const files: WorkloadFile[] = [];
  for (const [i, file] of workload.files.entries()) {
    if (i % every !== 0) continue;
    const path = join(directory, ...file.relative.split('/'));
    await mkdir(dirname(path), { recursive: true });
    await link(file.path, path);
    files.push({ path, relative: file.relative, size: file.size });
  }
  const bytes = files.reduce((sum, f) => sum + f.size, 0);
  return { ...workload, title: `${files.length.toLocaleString('en-US')} of the ${workload.title}`, directory, files, bytes };
}

/** Every key under `prefix` with its size (ListObjectsV2, 1,000 per page). */
export async function listPrefix(client: S3Client, bucket: string, prefix: string): Promise<Map<string, number>> {
  const objects = new Map<string, number>();
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const object of page.Contents ?? []) if (object.Key !== undefined) objects.set(object.Key, object.Size ?? 0);
    token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  return objects;
}

/** Every file under `directory` (recursively) by relative path (`/` separators), with its size. */
export async function listDirectory(directory: string): Promise<Map<string, number>> {
  const files = new Map<string, number>();
  for (const entry of await readdir(directory, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(relative(directory, path).split(sep).join('/'), (await stat(path)).size);
  }
  return files;
}

/**
 * Throws unless `found` (relative name → size) holds exactly the workload's files: same count,
 * same names, same total bytes. So a case that skipped or truncated anything cannot post a number.
 */
export function checkComplete(workload: Workload, found: ReadonlyMap<string, number>, what: string): void {
  let bytes = 0;
  for (const size of found.values()) bytes += size;
  const missing = workload.files.filter((file) => found.get(file.relative) !== file.size);
  if (found.size !== workload.files.length || bytes !== workload.bytes || missing.length > 0) {
    const example = missing[0] === undefined ? '' : `; e.g. ${missing[0].relative}: expected ${missing[0].size} bytes, found ${found.get(missing[0].relative) ?? 'nothing'}`;
    throw new Error(`${what}: expected ${workload.files.length} files, ${workload.bytes} bytes; found ${found.size}, ${bytes} bytes${example}`);
  }
}
