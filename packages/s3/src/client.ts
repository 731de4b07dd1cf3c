/**
 * The S3 client the transfers use: `@aws-sdk/client-s3` with keep-alive sockets sized for the
 * run, path-style addressing for custom endpoints, and the SDK's own retries.
 */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';

/** Where and as whom to connect. Every field is optional: the SDK's usual environment variables and files fill the gaps. */
export interface S3ConnectionOptions {
  /**
   * An S3-compatible endpoint, e.g. `http://127.0.0.1:7480` (Ceph radosgw, MinIO). Without it,
   * AWS (or `AWS_ENDPOINT_URL_S3` / `AWS_ENDPOINT_URL`).
   */
  readonly endpoint?: string | undefined;
  /** The region. @default `AWS_REGION`, else `us-east-1` */
  readonly region?: string | undefined;
  /** Access keys; without them, the SDK's default chain (environment, `~/.aws`, instance roles). */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string | undefined } | undefined;
  /** `https://host/bucket/key` instead of `https://bucket.host/key`. @default true when `endpoint` is given */
  readonly forcePathStyle?: boolean | undefined;
  /** Sockets per host (the SDK's default of 50 can starve a run with many parts in flight). @default 64 */
  readonly maxSockets?: number | undefined;
  /** Attempts per request, the SDK's own retries included. @default 4 */
  readonly maxAttempts?: number | undefined;
}

/**
 * Creates an `S3Client` for bulk transfers. Checksums: the SDK computes and validates its own
 * only when an operation requires one (many S3-compatible servers reject the newer trailing
 * CRC32 checksums); @futures/s3 verifies data itself with Content-MD5 and the ETag. A request
 * whose body carries Content-MD5 is signed with `UNSIGNED-PAYLOAD` (the signed Content-MD5
 * already binds the body) instead of a second, SHA-256 hash of it.
 *
 * @example createS3Client({ endpoint: 'http://127.0.0.1:7480', credentials: { accessKeyId, secretAccessKey } })
 */
export function createS3Client(options: S3ConnectionOptions = {}): S3Client {
  const maxSockets = options.maxSockets ?? 64;
  if (!Number.isInteger(maxSockets) || maxSockets < 1) throw new RangeError(`maxSockets must be a whole number >= 1, got ${String(options.maxSockets)}`);
  const maxAttempts = options.maxAttempts ?? 4;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new RangeError(`maxAttempts must be a whole number >= 1, got ${String(options.maxAttempts)}`);
  const agent = { keepAlive: true, maxSockets };
  const client = new S3Client({
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    region: options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
    ...(options.credentials === undefined ? {} : { credentials: credentialsOf(options.credentials) }),
    forcePathStyle: options.forcePathStyle ?? options.endpoint !== undefined,
    maxAttempts,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: new NodeHttpHandler({ httpAgent: new HttpAgent(agent), httpsAgent: new HttpsAgent(agent) }),
    // Builds each command's middleware stack once, not per request (bulk runs send thousands).
    cacheMiddleware: true,
  });
  // Every body we send carries Content-MD5, a signed header that the server checks: SigV4's own
  // SHA-256 of the body would be a second hash of the same bytes (half the CPU of a large upload).
  client.middlewareStack.add(
    (next) => (args) => {
      const headers = (args.request as { headers?: Record<string, string> }).headers;
      if (headers !== undefined && headers['content-md5'] !== undefined && headers['x-amz-content-sha256'] === undefined) headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
      return next(args);
    },
    { step: 'build', name: 'futuresUnsignedPayloadWithContentMd5' },
  );
  return client;
}

function credentialsOf(credentials: NonNullable<S3ConnectionOptions['credentials']>): { accessKeyId: string; secretAccessKey: string; sessionToken?: string } {
  const { accessKeyId, secretAccessKey, sessionToken } = credentials;
  if (typeof accessKeyId !== 'string' || typeof secretAccessKey !== 'string') throw new TypeError('credentials must have string accessKeyId and secretAccessKey');
  return sessionToken === undefined ? { accessKeyId, secretAccessKey } : { accessKeyId, secretAccessKey, sessionToken };
}
