/**
 * Downloading files from S3 at once: `submit` for each key, results read with `asCompleted`.
 *
 * Ports "Concurrency in Python" (Ryusei Kakujo, seed 003_4d0fb0a1a08e26dd), section
 * "Use Case: S3", the download:
 *
 *     s3 = boto3.client("s3")
 *
 *     def download_file(bucket, key, local_filename):
 *         print(f"Downloading {key} from {bucket}")
 *         s3.download_file(bucket, key, local_filename)
 *         print(f"Downloaded {key} from {bucket} to {local_filename}")
 *
 *     bucket_name = "your-bucket-name"
 *     keys = ["file1.txt", "file2.txt", "file3.txt"]
 *     local_filenames = ["downloaded_file1.txt", "downloaded_file2.txt", "downloaded_file3.txt"]
 *
 *     with concurrent.futures.ThreadPoolExecutor() as executor:
 *         futures = [executor.submit(download_file, bucket_name, key, local_filename) for key, local_filename in zip(keys, local_filenames)]
 *
 *     for future in concurrent.futures.as_completed(futures):
 *         print(f"Completed download: {future.result()}")
 *
 * boto3's client is `createS3Client` of @futures/s3 and `s3.download_file` its `downloadFile`
 * (one GET, or parallel ranged GETs for a large object, into a temporary file renamed once its
 * MD5 matches the ETag). The tutorial takes a `ThreadPoolExecutor` because the downloads are
 * I/O: a thread spends its time waiting for the network. In Node.js the waiting needs no
 * thread: the event loop runs every request at once, so the executor is an `AsyncExecutor`
 * (no worker threads, no copies of the client), and `as_completed` is `asCompleted`.
 *
 * The bucket lives on a real S3 server on 127.0.0.1 that the example starts (s3rver, see
 * `lib/s3-server.ts`), or on the one `FUTURES_S3_ENDPOINT` names. The example creates the
 * bucket and puts the three files into it first; the local files go to a temporary directory.
 * The tutorial's `download_file` is `downloadOne` here (the library's `downloadFile` has the
 * name). It returned `None`, so the tutorial printed "Completed download: None"; here it returns
 * what `downloadFile` reports, and the example checks every file's bytes.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { AsyncExecutor } from '@futures/async';
import { asCompleted } from '@futures/core';
import { createS3Client, downloadFile, type ObjectTransfer } from '@futures/s3';
import { exampleS3Server } from './lib/s3-server.ts';
import { isEntryPoint, type Log } from './lib/support.ts';

/** What the bucket holds before the downloads: three text files of different sizes. */
export function fileContent(key: string, lines: number): string {
  return Array.from({ length: lines }, (_, i) => `${key}, line ${i + 1} of ${lines}\n`).join('');
}

export interface S3DownloadResult {
  /** The bucket. */
  readonly bucket: string;
  /** The keys, in input order. */
  readonly keys: string[];
  /** What `downloadFile` reported, in the order `asCompleted` yielded the futures. */
  readonly completed: ObjectTransfer[];
  /** For each key in input order: the bytes of the downloaded file, and whether they are the object's. */
  readonly files: { readonly key: string; readonly localFilename: string; readonly bytes: number; readonly identical: boolean }[];
  /** The most `downloadOne` calls (the tutorial's `download_file`) running at the same moment. */
  readonly maxConcurrent: number;
}

export async function main(log: Log = console.log): Promise<S3DownloadResult> {
  await using server = await exampleS3Server();
  const s3 = createS3Client(server);
  const dir = await mkdtemp(join(tmpdir(), 'futures-s3-download-'));
  try {
    const bucketName = server.bucketName('your-bucket-name');
    const keys = ['file1.txt', 'file2.txt', 'file3.txt'];
    const localFilenames = ['downloaded_file1.txt', 'downloaded_file2.txt', 'downloaded_file3.txt'].map((name) => join(dir, name));

    // The bucket the tutorial assumes, with its three files.
    await s3.send(new CreateBucketCommand({ Bucket: bucketName }));
    const contents = keys.map((key, i) => fileContent(key, 100 * (i + 1)));
    for (const [i, key] of keys.entries()) {
      await s3.send(new PutObjectCommand({ Bucket: bucketName, Key: key, Body: contents[i] as string, ContentType: 'text/plain' }));
    }

    let running = 0;
    let maxConcurrent = 0;
    async function downloadOne(bucket: string, key: string, localFilename: string): Promise<ObjectTransfer> {
      running++;
      maxConcurrent = Math.max(maxConcurrent, running);
      try {
        log(`Downloading ${key} from ${bucket}`);
        const transfer = await downloadFile({ client: s3, bucket, key, file: localFilename });
        log(`Downloaded ${key} from ${bucket} to ${basename(localFilename)}`);
        return transfer;
      } finally {
        running--;
      }
    }

    let futures;
    {
      await using executor = new AsyncExecutor();
      futures = keys.map((key, i) => executor.submit(downloadOne, bucketName, key, localFilenames[i] as string));
    }

    const completed: ObjectTransfer[] = [];
    for await (const future of asCompleted(futures)) {
      const transfer = await future.result();
      log(`Completed download: ${transfer.key}, ${transfer.bytes} bytes, ${transfer.verified} checked (ETag ${transfer.etag})`);
      completed.push(transfer);
    }

    const files = await Promise.all(
      keys.map(async (key, i) => {
        const localFilename = localFilenames[i] as string;
        const data = await readFile(localFilename, 'utf8');
        return { key, localFilename: basename(localFilename), bytes: Buffer.byteLength(data), identical: data === contents[i] };
      }),
    );
    log(`Every file has its object's bytes: ${files.every((file) => file.identical) ? 'yes' : 'NO'}`);
    return { bucket: bucketName, keys, completed, files, maxConcurrent };
  } finally {
    s3.destroy();
    await rm(dir, { recursive: true, force: true });
  }
}

if (isEntryPoint(import.meta.url)) await main();
