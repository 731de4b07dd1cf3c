/**
 * Bulk: a folder to S3 and back with @futures/s3.
 *
 * Grows out of "Concurrency in Python" (Ryusei Kakujo, seed 003_4d0fb0a1a08e26dd), section
 * "Use Case: S3", whose two listings move three files with one `executor.submit` each:
 *
 *     with concurrent.futures.ThreadPoolExecutor() as executor:
 *         futures = [executor.submit(upload_file, bucket_name, key, local_filename) for key, local_filename in zip(keys, local_filenames)]
 *
 * (`s3-upload.ts` and `s3-download.ts` port them line for line.) A real folder has hundreds of
 * files, some of them large, and a second run should only send what changed: that is `upload`,
 * `sync` and `download` of @futures/s3. Each runs one task per object on an `AsyncExecutor`
 * (16 at once; S3 transfers are I/O, so the event loop runs them together), splits large
 * objects into parts of 8 MiB sent or fetched 4 at a time (multipart upload, ranged GETs), and
 * checks every byte with MD5.
 *
 * The example writes a tree of 200 files of 1-64 KiB in nested folders plus one 20 MiB file,
 * uploads it (printing its progress at each quarter of the bytes), syncs it again (nothing is
 * sent: every object is unchanged), downloads it into a second folder and compares every file
 * byte for byte. It counts the requests the client sent, by operation: the 20 MiB file goes up
 * as CreateMultipartUpload, 3 UploadParts, CompleteMultipartUpload, and comes down as 3 ranged
 * GETs. The server is s3rver on 127.0.0.1 (`lib/s3-server.ts`), or the one
 * `FUTURES_S3_ENDPOINT` names.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { createS3Client, download, sync, upload, type TransferProgress, type TransferSummary } from '@futures/s3';
import { exampleS3Server } from './lib/s3-server.ts';
import { isEntryPoint, type Log } from './lib/support.ts';

const KiB = 1024;
const MiB = 1024 * KiB;

/** The tree: 200 small files in nested folders, and a large one. */
export const SMALL_FILES = 200;
export const LARGE_FILE = { path: 'assets/video.bin', bytes: 20 * MiB } as const;

/** `count` sizes from `min` to `max`, from xorshift32: the same on every run. */
function sizes(count: number, min: number, max: number): number[] {
  let x = 2_463_534_242;
  return Array.from({ length: count }, () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return min + ((x >>> 0) % (max - min + 1));
  });
}

/** Writes the tree into `root`; returns each file's path relative to `root` (with `/`) and size. */
async function writeTree(root: string): Promise<Map<string, number>> {
  const files = new Map<string, number>();
  const extensions = ['.txt', '.json', '.html', '.csv'];
  for (const [i, size] of sizes(SMALL_FILES, 1 * KiB, 64 * KiB).entries()) {
    files.set(`docs/section-${i % 4}/part-${i % 5}/page-${String(i).padStart(3, '0')}${extensions[i % 4]}`, size);
  }
  files.set(LARGE_FILE.path, LARGE_FILE.bytes);
  for (const folder of new Set([...files.keys()].map((path) => dirname(path)))) await mkdir(join(root, folder), { recursive: true });
  // Random bytes: a file swapped for another would show.
  await Promise.all([...files].map(([path, size]) => writeFile(join(root, path), randomBytes(size))));
  return files;
}

/** Every regular file under `root`, relative with `/`. */
async function listTree(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split('\\').join('/'))
    .sort();
}

const mib = (bytes: number): string => (bytes / MiB).toFixed(1);

/**
 * `upload: 201 objects (201 transferred, 0 unchanged, 0 failed), 26.4 MiB in 1.23 s: 163 objects/s, 21.5 MiB/s`,
 * or `sync: 201 objects (0 transferred, 201 unchanged, 0 failed) in 0.12 s: nothing to send`.
 */
function summaryLine(summary: TransferSummary): string {
  const counts = `${summary.operation}: ${summary.planned + summary.unchanged} objects (${summary.transferred} transferred, ${summary.unchanged} unchanged, ${summary.failed} failed)`;
  const seconds = (summary.durationMs / 1000).toFixed(2);
  if (summary.transferred === 0) return `${counts} in ${seconds} s: nothing to send`;
  return `${counts}, ${mib(summary.bytes)} MiB in ${seconds} s: ${Math.round(summary.objectsPerSecond)} objects/s, ${mib(summary.bytesPerSecond)} MiB/s`;
}

/** Logs `upload: 25% ...` each time the bytes done pass another quarter of the total. */
function quarterly(log: Log, label: string): (progress: TransferProgress) => void {
  let next = 1;
  return (progress) => {
    if (progress.bytesTotal === 0) return;
    while (next <= 4 && progress.bytesDone >= (progress.bytesTotal * next) / 4) {
      log(`  ${label}: ${next * 25}% (${progress.objectsDone}/${progress.objectsTotal} objects, ${mib(progress.bytesDone)}/${mib(progress.bytesTotal)} MiB)`);
      next++;
    }
  };
}

export interface S3BulkResult {
  /** Files in the tree, and their total size. */
  readonly files: number;
  readonly bytes: number;
  /** The three runs. */
  readonly uploaded: TransferSummary;
  readonly synced: TransferSummary;
  readonly downloaded: TransferSummary;
  /** Requests sent by operation (`PutObject`, `UploadPart`, `GetObject`, ...), for each run. */
  readonly requests: { readonly upload: Record<string, number>; readonly sync: Record<string, number>; readonly download: Record<string, number> };
  /** Downloaded files with the same bytes as the originals, and the paths that differ or are missing or extra. */
  readonly identical: number;
  readonly different: string[];
  /** The progress lines `upload` printed. */
  readonly progressLines: string[];
}

export async function main(log: Log = console.log): Promise<S3BulkResult> {
  await using server = await exampleS3Server();
  const client = createS3Client(server);
  // Counts the requests by operation: the middleware sees every command the client sends.
  let requests: Record<string, number> = {};
  client.middlewareStack.add(
    (next, context) => (args) => {
      requests[context.commandName ?? '?'] = (requests[context.commandName ?? '?'] ?? 0) + 1;
      return next(args);
    },
    { step: 'initialize', name: 'countRequests' },
  );
  const takeRequests = (): Record<string, number> => {
    const taken = requests;
    requests = {};
    return taken;
  };
  const work = await mkdtemp(join(tmpdir(), 'futures-s3-bulk-'));
  try {
    const source = join(work, 'site');
    const copy = join(work, 'copy');
    const tree = await writeTree(source);
    const bytes = [...tree.values()].reduce((sum, size) => sum + size, 0);
    log(`Wrote ${tree.size} files, ${mib(bytes)} MiB (the largest ${mib(LARGE_FILE.bytes)} MiB) into a temporary folder`);

    const bucket = server.bucketName('your-bucket-name');
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    takeRequests();
    const destination = `s3://${bucket}/site/`;

    const progressLines: string[] = [];
    const uploaded = await upload(source, destination, {
      client,
      onProgress: quarterly((line) => {
        progressLines.push(String(line));
        log(line);
      }, 'upload'),
    });
    const uploadRequests = takeRequests();
    log(summaryLine(uploaded));

    const synced = await sync(source, destination, { client });
    const syncRequests = takeRequests();
    log(summaryLine(synced));

    const downloaded = await download(destination, copy, { client, onProgress: quarterly(log, 'download') });
    const downloadRequests = takeRequests();
    log(summaryLine(downloaded));
    for (const [name, requests] of [['upload', uploadRequests], ['sync', syncRequests], ['download', downloadRequests]] as const) {
      log(`  requests of ${name}: ${Object.entries(requests).map(([command, count]) => `${count} ${command.replace(/Command$/, '')}`).join(', ')}`);
    }

    // Every file, byte for byte.
    const different: string[] = [];
    let identical = 0;
    const copied = new Set(await listTree(copy));
    for (const path of tree.keys()) {
      if (!copied.delete(path)) different.push(`${path} (missing)`);
      else if ((await readFile(join(source, path))).equals(await readFile(join(copy, path)))) identical++;
      else different.push(path);
    }
    for (const extra of copied) different.push(`${extra} (extra)`);
    log(different.length === 0 ? `All ${identical} files came back byte for byte` : `${different.length} files differ: ${different.slice(0, 5).join(', ')}`);
    return {
      files: tree.size,
      bytes,
      uploaded,
      synced,
      downloaded,
      requests: { upload: uploadRequests, sync: syncRequests, download: downloadRequests },
      identical,
      different,
      progressLines,
    };
  } finally {
    client.destroy();
    await rm(work, { recursive: true, force: true });
  }
}

if (isEntryPoint(import.meta.url)) await main();
