/**
 * A real S3 server on 127.0.0.1, on a free port, for the S3 examples and their tests: the
 * tutorials talk to AWS, but the examples must need neither the internet nor anything
 * installed. It is s3rver (an npm package: S3's REST API over files in a directory), in a
 * child process of its own, storing into a fresh temporary directory that `close()` removes.
 *
 * Why a child process: s3rver encrypts ListObjectsV2 continuation tokens with single DES
 * (`crypto.createCipheriv('des', ...)`), which OpenSSL 3 (Node 17 and later) keeps in its
 * legacy provider, so any listing longer than one page answers 500 without
 * `--openssl-legacy-provider`. That flag is given to the server's process only; the examples,
 * @futures/s3 and the tests run with Node's default algorithms. The server's work (an MD5 of
 * every body, the files it writes) also stays off the examples' event loop, as on a real server.
 *
 * What s3rver 3.7.1 does and does not do (checked with @aws-sdk/client-s3): CreateBucket,
 * PutObject, GetObject (also ranged), HeadObject, ListObjectsV2 (with pagination), CopyObject,
 * DeleteObject(s), CreateMultipartUpload, UploadPart and CompleteMultipartUpload work. It does
 * not check Content-MD5 nor If-Match / x-amz-copy-source-if-match, answers a multipart object's
 * ETag with the MD5 of the whole object (S3: the MD5 of the parts' MD5s, then `-N`), ignores
 * HeadObject's partNumber, leaves `+ & , ; = : @ $ ? #` percent-encoded in a CopySource (so it
 * finds no such source key), and has no AbortMultipartUpload (405), ListMultipartUploads (501),
 * ListParts (405) nor UploadPartCopy (501). See the README, "The S3 server".
 */
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DeleteBucketCommand } from '@aws-sdk/client-s3';
import { createS3Client, remove } from '@futures/s3';

/** Where and as whom to connect: what `createS3Client` of @futures/s3 takes. */
export interface S3Connection {
  /** `http://127.0.0.1:PORT` */
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/** A running server: `await using server = await startS3Server()` stops it at scope end. */
export interface S3Server extends S3Connection, AsyncDisposable {
  /** The directory the objects are stored in (removed by `close`). */
  readonly directory: string;
  /** Stops the server and removes its directory. */
  close(): Promise<void>;
}

/** Options of {@link startS3Server}. */
export interface S3ServerOptions {
  /** Buckets to create before it answers. @default [] */
  readonly buckets?: readonly string[] | undefined;
  /** Milliseconds to wait for it to listen. @default 15_000 */
  readonly timeoutMs?: number | undefined;
}

/** s3rver's one account. */
const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

const serverScript = fileURLToPath(new URL('./s3-server-process.mjs', import.meta.url));

/** Starts s3rver on a free port of 127.0.0.1, storing into a new temporary directory. */
export async function startS3Server(options: S3ServerOptions = {}): Promise<S3Server> {
  const buckets = options.buckets ?? [];
  const directory = await mkdtemp(join(tmpdir(), 'futures-s3rver-'));
  // execArgv replaces the parent's flags (tsx's loader, vitest's): the server is plain JavaScript.
  const child = fork(serverScript, [directory, buckets.join(',')], {
    execArgv: ['--openssl-legacy-provider'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  let port: number;
  try {
    port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`s3rver did not start within ${options.timeoutMs ?? 15_000} ms`)), options.timeoutMs ?? 15_000);
      child.once('message', (message: { port?: number; error?: string }) => {
        clearTimeout(timer);
        if (typeof message.port === 'number') resolve(message.port);
        else reject(new Error(`s3rver did not start: ${message.error ?? JSON.stringify(message)}`));
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`s3rver exited before it listened (${signal ?? `exit code ${code}`})`));
      });
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  } catch (error) {
    child.kill();
    await exited;
    await rm(directory, { recursive: true, force: true });
    throw error;
  }

  let closed: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closed ??= (async () => {
      // The server removes its directory and exits when its IPC channel closes (also when
      // this process dies); a kill in case it does not within 5 s.
      if (child.connected) child.disconnect();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
      await rm(directory, { recursive: true, force: true });
    })());

  return {
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    credentials: CREDENTIALS,
    directory,
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** The server an S3 example talks to: see {@link exampleS3Server}. */
export interface ExampleS3Server extends S3Connection, AsyncDisposable {
  /** True for the embedded s3rver, false for the server `FUTURES_S3_ENDPOINT` names. */
  readonly embedded: boolean;
  /**
   * The name to create a bucket under: `name` itself on the embedded server (it is new and
   * empty), `name-<8 hex digits>` on another one (so that runs do not meet); `close` deletes it.
   */
  bucketName(name: string): string;
  /** Embedded: stops the server and removes its data. Else: empties and deletes the buckets named by `bucketName`. */
  close(): Promise<void>;
}

/**
 * The S3 server for an example: the one the environment names, as for the @futures/s3 tests
 * (`FUTURES_S3_ENDPOINT`, `FUTURES_S3_ACCESS_KEY_ID`, `FUTURES_S3_SECRET_ACCESS_KEY`,
 * `FUTURES_S3_REGION`), else a new embedded one ({@link startS3Server}).
 */
export async function exampleS3Server(env: NodeJS.ProcessEnv = process.env): Promise<ExampleS3Server> {
  const endpoint = env.FUTURES_S3_ENDPOINT;
  if (endpoint === undefined || endpoint === '') {
    const server = await startS3Server();
    return { endpoint: server.endpoint, region: server.region, credentials: server.credentials, embedded: true, bucketName: (name) => name, close: server.close, [Symbol.asyncDispose]: server.close };
  }
  const connection: S3Connection = {
    endpoint,
    region: env.FUTURES_S3_REGION || 'us-east-1',
    credentials: { accessKeyId: env.FUTURES_S3_ACCESS_KEY_ID ?? '', secretAccessKey: env.FUTURES_S3_SECRET_ACCESS_KEY ?? '' },
  };
  const buckets = new Set<string>();
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closed ??= (async () => {
      if (buckets.size === 0) return;
      const client = createS3Client(connection);
      try {
        for (const bucket of buckets) {
          try {
            const emptied = await remove(`s3://${bucket}/`, { client });
            if (emptied.failed > 0) throw new Error(`could not empty bucket ${bucket}: ${emptied.failures[0]?.message}`);
            await client.send(new DeleteBucketCommand({ Bucket: bucket }));
          } catch (error) {
            // A bucket the example did not get to create.
            if ((error as { code?: string }).code !== 'ERR_S3_NOT_FOUND' && (error as { name?: string }).name !== 'NoSuchBucket') throw error;
          }
        }
      } finally {
        client.destroy();
      }
    })());
  return {
    ...connection,
    embedded: false,
    bucketName(name) {
      const bucket = `${name}-${randomBytes(4).toString('hex')}`;
      buckets.add(bucket);
      return bucket;
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
