/**
 * The S3 server the s3 bench runs against: `FUTURES_S3_ENDPOINT` (+ `FUTURES_S3_ACCESS_KEY_ID`,
 * `FUTURES_S3_SECRET_ACCESS_KEY`, `FUTURES_S3_REGION`) if set, else our Ceph radosgw on
 * 127.0.0.1 (`scripts/s3-server.sh`), started here when it is not running and stopped again at
 * the end only then. Also: the radosgw / ceph-osd CPU time (from their pid files and /proc), and
 * the garbage collection that gives deleted objects' memory back to the memstore at once.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { processCpuSeconds } from '../lib/cpu.js';

// The SDK warns once per process, on Node.js 20, that its releases from 2027 need Node.js 22: not news for a table.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** How to reach the server: what `createS3Client` of @futures/s3, the SDK and rclone are given. */
export interface S3Connection {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

const SCRIPT = fileURLToPath(new URL('../../scripts/s3-server.sh', import.meta.url));
/** The cluster directory of scripts/s3-server.sh (pid files, ceph.conf). */
const CLUSTER_DIR = process.env.FUTURES_S3_DIR ?? join(process.env.TMPDIR ?? tmpdir(), 'futures-s3');

/** True when the bench talks to a server given by FUTURES_S3_ENDPOINT instead of our radosgw. */
export const external = (process.env.FUTURES_S3_ENDPOINT ?? '') !== '';

export const connection: S3Connection = external
  ? {
      endpoint: process.env.FUTURES_S3_ENDPOINT ?? '',
      region: process.env.FUTURES_S3_REGION ?? 'us-east-1',
      credentials: { accessKeyId: process.env.FUTURES_S3_ACCESS_KEY_ID ?? '', secretAccessKey: process.env.FUTURES_S3_SECRET_ACCESS_KEY ?? '' },
    }
  : {
      endpoint: `http://127.0.0.1:${process.env.FUTURES_S3_PORT || '7480'}`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'FUTURESACCESSKEY', secretAccessKey: 'FUTURESSECRETKEY' },
    };

/** Runs a command; resolves to its exit code and output (never rejects for a non-zero exit). */
export function runCommand(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code: code ?? (signal === null ? 1 : 128), stdout, stderr }));
  });
}

const tail = (text: string, lines = 25): string =>
  text
    .trimEnd()
    .split('\n')
    .slice(-lines)
    .map((line) => `    ${line}`)
    .join('\n');

/**
 * Makes sure the server answers: with FUTURES_S3_ENDPOINT, nothing to do; else
 * `scripts/s3-server.sh status`, and `start` when it does not answer. Resolves to whether this
 * call started it (then the caller stops it with {@link stopServer} when done). Throws with the
 * script's own message (and how to install Ceph) when it cannot be had.
 */
export async function ensureServer(): Promise<{ started: boolean }> {
  if (external) return { started: false };
  const status = await runCommand('bash', [SCRIPT, 'status']);
  if (status.code === 0) return { started: false };
  const began = performance.now();
  const start = await runCommand('bash', [SCRIPT, 'start']);
  if (start.code !== 0) {
    throw new Error(
      [
        `the s3 bench needs a real S3 server and could not start one: scripts/s3-server.sh start exited with ${start.code}:`,
        tail(start.stderr || start.stdout),
        'Install Ceph radosgw (as root: scripts/s3-server.sh install), or point the bench at an S3-compatible server:',
        'FUTURES_S3_ENDPOINT=http://host:port FUTURES_S3_ACCESS_KEY_ID=... FUTURES_S3_SECRET_ACCESS_KEY=... (path-style addressing).',
      ].join('\n'),
    );
  }
  // `start` also succeeds when another process started the server meanwhile: it says "reusing" then.
  const reused = start.stderr.includes('reusing');
  if (!reused) console.log(`(started the S3 server with scripts/s3-server.sh in ${((performance.now() - began) / 1000).toFixed(1)} s; stopped again at the end)`);
  return { started: !reused };
}

/** `scripts/s3-server.sh stop`: for a server {@link ensureServer} started. */
export async function stopServer(): Promise<void> {
  const stop = await runCommand('bash', [SCRIPT, 'stop']);
  if (stop.code !== 0) console.error(`scripts/s3-server.sh stop exited with ${stop.code}:\n${tail(stop.stderr)}`);
}

/** CPU seconds used so far by radosgw and ceph-osd (our cluster only; undefined elsewhere). */
export function serverCpuSeconds(): number | undefined {
  if (external) return undefined;
  let total = 0;
  for (const name of ['rgw.pid', 'osd.0.pid']) {
    try {
      const pid = Number(readFileSync(join(CLUSTER_DIR, 'run', name), 'utf8').trim());
      const seconds = processCpuSeconds(pid);
      if (seconds === undefined) return undefined;
      total += seconds;
    } catch {
      return undefined;
    }
  }
  return total;
}

/**
 * Has radosgw delete the data of deleted objects now (`radosgw-admin gc process --include-all`)
 * instead of after its gc delay, so the memstore does not fill up across cases. No-op for an
 * external server.
 */
export async function collectGarbage(): Promise<void> {
  const config = join(CLUSTER_DIR, 'ceph.conf');
  if (external || !existsSync(config)) return;
  const gc = await runCommand('radosgw-admin', ['-c', config, '-n', 'client.rgw.r', '--admin-socket=', 'gc', 'process', '--include-all']);
  if (gc.code !== 0) console.error(`radosgw-admin gc process exited with ${gc.code}:\n${tail(gc.stderr)}`);
}
