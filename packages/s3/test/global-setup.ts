/**
 * vitest globalSetup: finds or starts the real S3 server the tests run against, checks it works,
 * and hands its address to the tests (`inject('s3')`, see helpers.ts). In this order:
 *
 * 1. FUTURES_S3_ENDPOINT set: that server (credentials FUTURES_S3_ACCESS_KEY_ID and
 *    FUTURES_S3_SECRET_ACCESS_KEY, region FUTURES_S3_REGION, default us-east-1); nothing is started.
 * 2. Otherwise our local radosgw on 127.0.0.1:7480 (FUTURES_S3_PORT): `scripts/s3-server.sh start`
 *    (Ceph radosgw on memstore, ~2 s; `install` first if it does not answer yet), which reuses the
 *    one already running if any, and `stop` in teardown. The script keeps a lease per user process,
 *    so that `stop` only stops the server when no other user (another test run, a benchmark)
 *    still holds one. (scripts/test-all.sh starts it once and sets FUTURES_S3_ENDPOINT instead.)
 *
 * When no server can be had, setup throws, so every test fails with the message saying how to
 * get one; the tests are never skipped.
 */

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { S3Client } from '@aws-sdk/client-s3';
import type { TestProject } from 'vitest/node';

// Loaded with Node's own require: vitest runs this module through vite's module runner, where a
// static import of the SDK takes 6-8 s on 2 cores (107 ms this way).
const {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListBucketsCommand,
  PutObjectCommand,
  S3Client: Client,
} = createRequire(import.meta.url)('@aws-sdk/client-s3') as typeof import('@aws-sdk/client-s3');

/** Where the tests' S3 server is and how to sign requests for it. */
export interface S3TestServer {
  readonly endpoint: string;
  readonly region: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    s3: S3TestServer;
  }
}

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const serverScript = `${repoRoot}scripts/s3-server.sh`;

/** The server scripts/s3-server.sh starts (its credentials are fixed there). */
const local: S3TestServer = {
  endpoint: `http://127.0.0.1:${process.env.FUTURES_S3_PORT || '7480'}`,
  region: 'us-east-1',
  accessKeyId: 'FUTURESACCESSKEY',
  secretAccessKey: 'FUTURESSECRETKEY',
};

const howTo = [
  'The @futures/s3 tests need a real S3 server. Either',
  '  - install Ceph radosgw, which the tests then start by themselves (Debian/Ubuntu, as root:',
  '    `scripts/s3-server.sh install`, i.e. apt-get install --no-install-recommends ceph-mon ceph-osd radosgw ceph-common rclone), or',
  '  - point them at any S3-compatible server: FUTURES_S3_ENDPOINT=http://host:port',
  '    FUTURES_S3_ACCESS_KEY_ID=... FUTURES_S3_SECRET_ACCESS_KEY=... [FUTURES_S3_REGION=us-east-1] (path-style addressing).',
].join('\n');

/** An S3Client for the setup's own checks: one attempt, short timeouts. */
function checkClient(server: S3TestServer): S3Client {
  return new Client({
    endpoint: server.endpoint,
    region: server.region,
    credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
    forcePathStyle: true,
    // radosgw 16 predates the flexible checksums newer SDKs send by default.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 2_000, requestTimeout: 10_000 },
  });
}

/** True if the server answers ListBuckets with these credentials. */
async function answers(server: S3TestServer): Promise<boolean> {
  const client = checkClient(server);
  try {
    await client.send(new ListBucketsCommand({}));
    return true;
  } catch {
    return false;
  } finally {
    client.destroy();
  }
}

/** Creates a bucket, puts, gets and deletes an object, deletes the bucket; throws what failed. */
async function verify(server: S3TestServer): Promise<void> {
  const client = checkClient(server);
  const bucket = `futures-setup-check-${randomBytes(6).toString('hex')}`;
  const body = `futures s3 setup check ${new Date().toISOString()}`;
  let step = 'CreateBucket';
  try {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    step = 'PutObject';
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'check.txt', Body: body }));
    step = 'GetObject';
    const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'check.txt' }));
    const text = await got.Body?.transformToString();
    if (text !== body) throw new Error(`read back ${JSON.stringify(text)}, wrote ${JSON.stringify(body)}`);
    step = 'DeleteObject';
    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'check.txt' }));
    step = 'DeleteBucket';
    await client.send(new DeleteBucketCommand({ Bucket: bucket }));
  } catch (error) {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new Error(`the S3 server at ${server.endpoint} does not work: ${step} failed (${reason})\n\n${howTo}`, {
      cause: error,
    });
  } finally {
    client.destroy();
  }
}

interface ScriptResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `scripts/s3-server.sh <command>` with this process as the lease holder; never rejects (a
 * missing bash is code null).
 */
function runScript(command: 'install' | 'start' | 'stop'): Promise<ScriptResult> {
  return new Promise((resolve) => {
    const child = spawn('bash', [serverScript, command], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, FUTURES_S3_OWNER_PID: String(process.pid) },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (error) => resolve({ code: null, stdout, stderr: `${stderr}${error.message}\n` }));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function fromEnvironment(): S3TestServer | undefined {
  const endpoint = process.env.FUTURES_S3_ENDPOINT;
  if (!endpoint) return undefined;
  return {
    endpoint: endpoint.replace(/\/+$/, ''),
    region: process.env.FUTURES_S3_REGION || 'us-east-1',
    accessKeyId: process.env.FUTURES_S3_ACCESS_KEY_ID || local.accessKeyId,
    secretAccessKey: process.env.FUTURES_S3_SECRET_ACCESS_KEY || local.secretAccessKey,
  };
}

/** Runs `scripts/s3-server.sh <command>`; throws the explanation if it fails. */
async function runOrThrow(command: 'install' | 'start'): Promise<void> {
  const result = await runScript(command);
  if (result.code !== 0) {
    throw new Error(
      `no S3 server for the tests: \`scripts/s3-server.sh ${command}\` failed (exit ${result.code}):\n` +
        `${result.stderr.trimEnd()}\n\n${howTo}`,
    );
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let server = fromEnvironment();
  let leased = false;
  if (!server) {
    server = local;
    if (!(await answers(server))) await runOrThrow('install');
    await runOrThrow('start');
    leased = true;
  }
  const teardown = async (): Promise<void> => {
    if (!leased) return;
    const result = await runScript('stop');
    if (result.code !== 0) console.error(`scripts/s3-server.sh stop failed (exit ${result.code}):\n${result.stderr}`);
  };
  try {
    await verify(server);
  } catch (error) {
    await teardown();
    throw error;
  }
  project.provide('s3', server);
  return teardown;
}
