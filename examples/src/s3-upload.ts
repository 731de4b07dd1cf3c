/**
 * Uploading files to S3 at once: `submit` for each file, results read with `asCompleted`.
 *
 * Ports "Concurrency in Python" (Ryusei Kakujo, seed 003_4d0fb0a1a08e26dd), section
 * "Use Case: S3", the upload:
 *
 *     s3 = boto3.client("s3")
 *
 *     def upload_file(bucket, key, local_filename):
 *         print(f"Uploading {local_filename} to {bucket}/{key}")
 *         with open(local_filename, "rb") as file:
 *             s3.upload_fileobj(file, bucket, key)
 *         print(f"Uploaded {local_filename} to {bucket}/{key}")
 *
 *     bucket_name = "your-bucket-name"
 *     keys = ["uploaded_file1.txt", "uploaded_file2.txt", "uploaded_file3.txt"]
 *     local_filenames = ["file1.txt", "file2.txt", "file3.txt"]
 *
 *     with concurrent.futures.ThreadPoolExecutor() as executor:
 *         futures = [executor.submit(upload_file, bucket_name, key, local_filename) for key, local_filename in zip(keys, local_filenames)]
 *
 *     for future in concurrent.futures.as_completed(futures):
 *         print(f"Completed upload: {future.result()}")
 *
 * boto3's client is `createS3Client` of @futures/s3, and `s3.upload_fileobj(file, ...)` its
 * `uploadFile`, which takes the file's path and opens it itself (it reads a large file's parts
 * at their offsets, several at once: a multipart upload). Every request carries the body's MD5
 * (Content-MD5), and the ETag that comes back is checked against it. The tutorial takes a
 * `ThreadPoolExecutor` because uploads are I/O: a thread mostly waits for the network. In
 * Node.js the waiting needs no thread: the event loop runs every request at once, so the
 * executor is an `AsyncExecutor`, and `as_completed` is `asCompleted`.
 *
 * The bucket lives on a real S3 server on 127.0.0.1 that the example starts (s3rver, see
 * `lib/s3-server.ts`), or on the one `FUTURES_S3_ENDPOINT` names; the example creates it. The
 * three local files are written to a temporary directory first. The tutorial's `upload_file`
 * is `uploadOne` here (the library's `uploadFile` has the name). It returned `None`, so the
 * tutorial printed "Completed upload: None"; here it returns what `uploadFile` reports, and the
 * example reads every object back to compare its bytes with the file's.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { AsyncExecutor } from '@futures/async';
import { asCompleted } from '@futures/core';
import { createS3Client, uploadFile, type ObjectTransfer } from '@futures/s3';
import { exampleS3Server } from './lib/s3-server.ts';
import { isEntryPoint, type Log } from './lib/support.ts';

/** What local file `name` holds: `lines` numbered lines. */
export function fileContent(name: string, lines: number): string {
  return Array.from({ length: lines }, (_, i) => `${name}, line ${i + 1} of ${lines}\n`).join('');
}

export interface S3UploadResult {
  /** The bucket. */
  readonly bucket: string;
  /** The keys, in input order. */
  readonly keys: string[];
  /** What `uploadFile` reported, in the order `asCompleted` yielded the futures. */
  readonly completed: ObjectTransfer[];
  /** For each key in input order: the object's size, its Content-Type, and whether its bytes are the file's. */
  readonly objects: { readonly key: string; readonly localFilename: string; readonly bytes: number; readonly contentType: string | undefined; readonly identical: boolean }[];
  /** The most `uploadOne` calls (the tutorial's `upload_file`) running at the same moment. */
  readonly maxConcurrent: number;
}

export async function main(log: Log = console.log): Promise<S3UploadResult> {
  await using server = await exampleS3Server();
  const s3 = createS3Client(server);
  const dir = await mkdtemp(join(tmpdir(), 'futures-s3-upload-'));
  try {
    const bucketName = server.bucketName('your-bucket-name');
    const keys = ['uploaded_file1.txt', 'uploaded_file2.txt', 'uploaded_file3.txt'];
    const localFilenames = ['file1.txt', 'file2.txt', 'file3.txt'].map((name) => join(dir, name));

    // The bucket the tutorial assumes, and the three files it uploads.
    await s3.send(new CreateBucketCommand({ Bucket: bucketName }));
    const contents = localFilenames.map((path, i) => fileContent(basename(path), 100 * (i + 1)));
    await Promise.all(localFilenames.map((path, i) => writeFile(path, contents[i] as string)));

    let running = 0;
    let maxConcurrent = 0;
    async function uploadOne(bucket: string, key: string, localFilename: string): Promise<ObjectTransfer> {
      running++;
      maxConcurrent = Math.max(maxConcurrent, running);
      try {
        log(`Uploading ${basename(localFilename)} to ${bucket}/${key}`);
        const transfer = await uploadFile({ client: s3, bucket, key, file: localFilename });
        log(`Uploaded ${basename(localFilename)} to ${bucket}/${key}`);
        return transfer;
      } finally {
        running--;
      }
    }

    let futures;
    {
      await using executor = new AsyncExecutor();
      futures = keys.map((key, i) => executor.submit(uploadOne, bucketName, key, localFilenames[i] as string));
    }

    const completed: ObjectTransfer[] = [];
    for await (const future of asCompleted(futures)) {
      const transfer = await future.result();
      log(`Completed upload: ${transfer.key}, ${transfer.bytes} bytes, ${transfer.verified} checked (ETag ${transfer.etag})`);
      completed.push(transfer);
    }

    // Read every object back.
    const objects = await Promise.all(
      keys.map(async (key, i) => {
        const answer = await s3.send(new GetObjectCommand({ Bucket: bucketName, Key: key }));
        const data = (await answer.Body?.transformToString('utf8')) ?? '';
        return { key, localFilename: basename(localFilenames[i] as string), bytes: Buffer.byteLength(data), contentType: answer.ContentType, identical: data === contents[i] };
      }),
    );
    log(`Every object has its file's bytes: ${objects.every((object) => object.identical) ? 'yes' : 'NO'}`);
    return { bucket: bucketName, keys, completed, objects, maxConcurrent };
  } finally {
    s3.destroy();
    await rm(dir, { recursive: true, force: true });
  }
}

if (isEntryPoint(import.meta.url)) await main();
