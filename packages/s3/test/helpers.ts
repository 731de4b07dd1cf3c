/** Helpers for the S3 tests (not a test file itself): the server from global-setup.ts, clients, buckets. */

import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AbortMultipartUploadCommand,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  S3Client,
  type MultipartUpload,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, beforeEach, expect, inject } from 'vitest';

/** What an S3Client needs to talk to the tests' server (spread it into S3ClientConfig). */
export interface S3Connection {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly forcePathStyle: true;
}

/** The tests' S3 server, as global-setup.ts found or started it. */
export function s3Connection(): S3Connection {
  const { endpoint, region, accessKeyId, secretAccessKey } = inject('s3');
  return { endpoint, region, credentials: { accessKeyId, secretAccessKey }, forcePathStyle: true };
}

/**
 * An S3Client for the tests' server. Checksums only where the API requires them: newer SDKs
 * send CRC32 checksums on every upload by default, which radosgw 16 predates. `overrides`
 * wins, e.g. `testClient({ endpoint: proxy.endpoint, maxAttempts: 1 })`. Destroy it after use.
 */
export function testClient(overrides: S3ClientConfig = {}): S3Client {
  return new S3Client({
    ...s3Connection(),
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...overrides,
  });
}

/**
 * Creates a bucket with a fresh name (`<prefix>-<time>-<random>`, lowercase, at most 63
 * characters) and returns its name. Pair with `emptyAndDeleteBucket` in an afterEach/afterAll.
 */
export async function freshBucket(client: S3Client, prefix = 'test'): Promise<string> {
  const clean =
    prefix
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'test';
  const bucket = `${clean}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  return bucket;
}

/** The bucket's multipart uploads still in progress (tests assert none are left behind). */
export async function listMultipartUploads(client: S3Client, bucket: string): Promise<MultipartUpload[]> {
  const uploads: MultipartUpload[] = [];
  let KeyMarker: string | undefined;
  let UploadIdMarker: string | undefined;
  for (;;) {
    const page = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket, KeyMarker, UploadIdMarker }));
    uploads.push(...(page.Uploads ?? []));
    if (!page.IsTruncated) return uploads;
    KeyMarker = page.NextKeyMarker;
    UploadIdMarker = page.NextUploadIdMarker;
  }
}

/**
 * Deletes every object of the bucket (1,000 per DeleteObjects), aborts its multipart uploads in
 * progress, then deletes the bucket. A bucket that does not exist is fine.
 */
export async function emptyAndDeleteBucket(client: S3Client, bucket: string): Promise<void> {
  try {
    for (const upload of await listMultipartUploads(client, bucket)) {
      await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: upload.Key, UploadId: upload.UploadId }));
    }
    let ContinuationToken: string | undefined;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken }));
      const keys = (page.Contents ?? []).map((object) => ({ Key: object.Key }));
      if (keys.length > 0) {
        const result = await client.send(
          new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys, Quiet: true } }),
        );
        if (result.Errors?.length) {
          const first = result.Errors[0];
          throw new Error(`DeleteObjects in ${bucket}: ${result.Errors.length} failed, e.g. ${first?.Key}: ${first?.Code}`);
        }
      }
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken);
    await client.send(new DeleteBucketCommand({ Bucket: bucket }));
  } catch (error) {
    if ((error as { name?: unknown }).name === 'NoSuchBucket') return;
    throw error;
  }
}

/** Parts of 5 MiB from 5 MiB on, so that the multipart and ranged paths run on small test files. */
export const SMALL_PARTS = { partSize: 5 * 1024 * 1024, multipartThreshold: 5 * 1024 * 1024 } as const;

/** What {@link useTestBucket} gives each test: a client, a fresh bucket, an empty work directory. */
export interface TestBucket {
  readonly client: S3Client;
  readonly bucket: string;
  readonly work: string;
}

/**
 * Registers the hooks of a test file: one client for the file, and for every test a fresh
 * bucket and an empty temporary directory, removed afterwards, after checking that no multipart
 * upload was left behind in the bucket. Read the fields inside tests (they change per test).
 */
export function useTestBucket(label: string): TestBucket {
  const state: { client?: S3Client; bucket?: string; work?: string } = {};
  beforeAll(() => {
    state.client = testClient();
  });
  afterAll(() => state.client?.destroy());
  beforeEach(async () => {
    state.bucket = await freshBucket(state.client as S3Client);
    state.work = await mkdtemp(join(tmpdir(), `futures-s3-${label}-`));
  });
  afterEach(async () => {
    const client = state.client as S3Client;
    expect(await listMultipartUploads(client, state.bucket as string)).toEqual([]); // no multipart upload is ever left behind
    await emptyAndDeleteBucket(client, state.bucket as string);
    await rm(state.work as string, { recursive: true, force: true });
  });
  return {
    get client() {
      return state.client as S3Client;
    },
    get bucket() {
      return state.bucket as string;
    },
    get work() {
      return state.work as string;
    },
  };
}
