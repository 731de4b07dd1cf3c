/**
 * A throwaway Redis for tests, demos and benchmarks (`@futures/bullmq/redis-server`): starts the
 * `redis-server` binary on 127.0.0.1 on a free port, without persistence, in a private temporary
 * directory, and hands back its URL and the means to stop it, crash it and start it again on the
 * same port (to test reconnection).
 *
 * ```ts
 * import { startRedisServer } from '@futures/bullmq/redis-server';
 * await using redis = await startRedisServer();
 * const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
 * ```
 *
 * It is not for production: no password, no persistence, and the server dies with this process.
 */

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { rmSync, statSync, accessSync, constants } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { FuturesError } from '@futures/core';

/** The stable codes of {@link RedisServerError}. */
export type RedisServerErrorCode =
  /** No `redis-server` executable: not on PATH, nor where `binary` or FUTURES_REDIS_SERVER say. */
  | 'ERR_REDIS_SERVER_NOT_FOUND'
  /** The server did not come up: it exited, its port was taken, or it did not answer PING in time. */
  | 'ERR_REDIS_SERVER_START'
  /** `restart()` after `stop()`: a stopped server stays stopped. */
  | 'ERR_REDIS_SERVER_STOPPED'
  /** `kill(signal)` sent a signal the server survived (Redis ignores SIGHUP and SIGPIPE, for one). */
  | 'ERR_REDIS_SERVER_SIGNAL';

/** An error of the throwaway Redis helper; match on its `code`. */
export class RedisServerError extends FuturesError<RedisServerErrorCode> {}

/** Options of {@link startRedisServer}. */
export interface StartRedisServerOptions {
  /** The TCP port on 127.0.0.1. Default: a free one the OS picks (picked again if taken meanwhile). */
  readonly port?: number | undefined;
  /**
   * The `redis-server` executable: a path, or a name looked up on PATH. Default: the env
   * FUTURES_REDIS_SERVER, else `redis-server` on PATH (see {@link findRedisServer}).
   */
  readonly binary?: string | undefined;
  /**
   * More command-line arguments, e.g. `['--maxmemory', '64mb']`. They come after ours, so they
   * override them; leave `--port` and `--bind` alone (use `port`), and `--requirepass` too: the
   * readiness check does not authenticate.
   */
  readonly args?: readonly string[] | undefined;
  /** How long to wait for the first answer to PING, in ms (default 10 000). */
  readonly startTimeout?: number | undefined;
  /**
   * True (the default): the server's log is only kept (its last lines go into error messages).
   * False: it is also copied to this process's stderr.
   */
  readonly quiet?: boolean | undefined;
}

/** A running throwaway Redis, from {@link startRedisServer}. `await using` stops it. */
export interface RedisServer extends AsyncDisposable {
  /** `redis://127.0.0.1:PORT`, for ioredis and BullMQ. */
  readonly url: string;
  /** Always `127.0.0.1`. */
  readonly host: string;
  /** Its TCP port; the same after {@link RedisServer.restart}. */
  readonly port: number;
  /** The process id of the current (or, after a kill, the last) `redis-server` process. */
  readonly pid: number;
  /**
   * Stops it for good: SIGTERM, SIGKILL if it has not exited after 5 s, then removes its
   * directory. Idempotent: later calls return the same promise.
   */
  stop(): Promise<void>;
  /**
   * Simulates a crash: sends `signal` (default SIGKILL) and waits until the process has exited.
   * Nothing is cleaned up, so {@link RedisServer.restart} can bring it back on the same port.
   * SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU and SIGCONT are sent without waiting (to simulate a hung
   * server, then let it go on). Rejects with `ERR_REDIS_SERVER_SIGNAL` if the process is still
   * alive 5 s after any other signal.
   */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /**
   * Starts it again on the same port (stopping it first if it still runs), with an empty
   * dataset, and waits until it answers PING. For reconnect tests.
   */
  restart(): Promise<void>;
}

const HOST = '127.0.0.1';
/** Where we also look when PATH lacks them (cron, some CI runners and sudo use a short PATH). */
const FALLBACK_DIRS = ['/usr/local/bin', '/usr/bin', '/usr/sbin', '/opt/homebrew/bin'];
/** How long a stop waits after SIGTERM (and a kill after its signal) before giving up on it. */
const EXIT_GRACE_MS = 5_000;
/** Lines of the server's log kept for error messages. */
const TAIL_LINES = 20;
/** Signals that pause or resume a process rather than end it: kill() does not wait for an exit. */
const PAUSE_SIGNALS: ReadonlySet<string> = new Set(['SIGSTOP', 'SIGTSTP', 'SIGTTIN', 'SIGTTOU', 'SIGCONT']);

/**
 * The path of the `redis-server` executable, or undefined. When the env FUTURES_REDIS_SERVER is
 * set it is the only candidate (a path, or a name looked up on PATH); otherwise `redis-server` on
 * PATH, then in the usual bin directories.
 */
export function findRedisServer(): string | undefined {
  return resolveBinary(process.env.FUTURES_REDIS_SERVER || 'redis-server');
}

/**
 * Starts a throwaway `redis-server` on 127.0.0.1 and resolves once it answers PING: no
 * persistence (`--save "" --appendonly no`), protected mode on, a private temporary `--dir`
 * (removed by `stop()`), in the foreground as our child. The child does not keep this process
 * alive, and is killed when this process exits: on its 'exit' event and, on Linux with util-linux's
 * `setpriv`, by the kernel when this process is killed outright.
 *
 * @throws {RedisServerError} `ERR_REDIS_SERVER_NOT_FOUND` when there is no binary,
 *   `ERR_REDIS_SERVER_START` when it does not come up (the message ends with its last log lines).
 */
export async function startRedisServer(options: StartRedisServerOptions = {}): Promise<RedisServer> {
  const { port, startTimeout = 10_000, quiet = true, args = [] } = options;
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65_536)) {
    throw new RangeError(`startRedisServer: port must be an integer from 1 to 65535, got ${port}`);
  }
  if (!(startTimeout > 0)) throw new RangeError(`startRedisServer: startTimeout must be > 0 ms, got ${startTimeout}`);
  const named = options.binary ?? (process.env.FUTURES_REDIS_SERVER || undefined);
  const binary = resolveBinary(named ?? 'redis-server');
  if (binary === undefined) throw notFound(named);

  const dir = await mkdtemp(join(tmpdir(), 'futures-redis-'));
  const config: LaunchConfig = { binary, dir, args, quiet, startTimeout };
  const deadline = Date.now() + startTimeout;
  try {
    // A port the OS just gave us can be taken by someone else before redis-server binds it: then
    // pick another, a few times. A port the caller chose is tried once.
    const attempts = port === undefined ? 5 : 1;
    let problem = '';
    for (let attempt = 0; attempt < attempts; attempt++) {
      const tryPort = port ?? (await freePort());
      const result = await launch(config, tryPort, deadline);
      if (result.process) return new LocalRedisServer(config, tryPort, result.process);
      problem = result.portInUse;
    }
    throw new RedisServerError('ERR_REDIS_SERVER_START', `redis-server could not start: ${problem}`);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** What every (re)start of one server shares. */
interface LaunchConfig {
  readonly binary: string;
  readonly dir: string;
  readonly args: readonly string[];
  readonly quiet: boolean;
  readonly startTimeout: number;
}

class LocalRedisServer implements RedisServer {
  readonly host = HOST;
  readonly port: number;
  readonly url: string;
  readonly #config: LaunchConfig;
  #process: RedisProcess;
  /** Operations run one after another, so that a stop never races a restart. */
  #queue: Promise<unknown> = Promise.resolve();
  #stopped: Promise<void> | undefined;
  readonly #cleanUpAtExit = (): void => {
    this.#process.child.kill('SIGKILL');
    rmSync(this.#config.dir, { recursive: true, force: true });
  };

  constructor(config: LaunchConfig, port: number, first: RedisProcess) {
    this.#config = config;
    this.port = port;
    this.url = `redis://${HOST}:${port}`;
    this.#process = first;
    atParentExit.add(this.#cleanUpAtExit);
    installExitHook();
  }

  get pid(): number {
    return this.#process.pid;
  }

  stop(): Promise<void> {
    this.#stopped ??= this.#serialize(async () => {
      await this.#process.terminate();
      atParentExit.delete(this.#cleanUpAtExit);
      await rm(this.#config.dir, { recursive: true, force: true });
    });
    return this.#stopped;
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    return this.#serialize(async () => {
      const current = this.#process;
      if (!current.running) return;
      current.child.kill(signal);
      if (PAUSE_SIGNALS.has(signal)) return;
      if (!(await current.exitWithin(EXIT_GRACE_MS))) {
        throw new RedisServerError(
          'ERR_REDIS_SERVER_SIGNAL',
          `redis-server (pid ${current.pid}) is still running ${EXIT_GRACE_MS} ms after ${signal}; use SIGKILL to crash it`,
        );
      }
    });
  }

  restart(): Promise<void> {
    if (this.#stopped) return Promise.reject(stoppedError(this.url));
    return this.#serialize(async () => {
      await this.#process.terminate();
      const result = await launch(this.#config, this.port, Date.now() + this.#config.startTimeout);
      if (!result.process) {
        throw new RedisServerError('ERR_REDIS_SERVER_START', `redis-server could not restart: ${result.portInUse}`);
      }
      this.#process = result.process;
    });
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }

  #serialize(operation: () => Promise<void>): Promise<void> {
    const next = this.#queue.then(operation);
    this.#queue = next.catch(() => undefined); // the caller gets the failure; the queue goes on
    return next;
  }
}

/** One `redis-server` process: its exit, the tail of its log. */
class RedisProcess {
  readonly child: ChildProcess;
  readonly binary: string;
  readonly log = new LogTail();
  /** Set when the process has ended (or never started), with how. */
  ended: string | undefined;
  /** Resolves when the process has exited and its output is read to the end. */
  readonly closed: Promise<void>;

  constructor(config: LaunchConfig, port: number) {
    const args = [
      '--port', String(port),
      '--bind', HOST,
      '--protected-mode', 'yes',
      '--save', '',
      '--appendonly', 'no',
      '--daemonize', 'no',
      '--dir', config.dir,
      ...config.args,
    ];
    this.binary = config.binary;
    const wrapper = parentDeathWrapper();
    // setpriv execs redis-server, so the pid we get is the server's.
    const [file, argv] = wrapper ? [wrapper, ['--pdeathsig', 'SIGKILL', '--', config.binary, ...args]] : [config.binary, args];
    this.child = spawn(file, argv, { cwd: config.dir, stdio: ['ignore', 'pipe', 'pipe'] });
    this.closed = new Promise((resolve) => {
      this.child.on('close', (code, signal) => {
        this.ended ??= signal ? `killed by ${signal}` : `exited with code ${code}`;
        resolve();
      });
      this.child.on('error', (error) => {
        // Only a failed spawn ends it; a failed kill (already gone) changes nothing.
        if (this.child.pid !== undefined) return;
        this.ended ??= `could not be spawned: ${error.message}`;
        resolve();
      });
    });
    for (const stream of [this.child.stdout, this.child.stderr]) {
      stream?.setEncoding('utf8').on('data', (chunk: string) => {
        this.log.push(chunk);
        if (!config.quiet) process.stderr.write(chunk);
      });
    }
    // Tests must not hang on a server nobody stopped: neither the process nor its pipes keep the
    // event loop alive (the ones that wait for it ref it for that long, see exitWithin).
    this.child.unref();
    unrefStream(this.child.stdout);
    unrefStream(this.child.stderr);
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get running(): boolean {
    return this.ended === undefined;
  }

  /**
   * Waits up to `ms` (default: as long as it takes) for the exit; true if it exited. Holds the
   * event loop open meanwhile, since the child itself does not.
   */
  async exitWithin(ms = 2 ** 31 - 1): Promise<boolean> {
    if (!this.running) return true;
    const timeout = new AbortController();
    this.child.ref();
    try {
      const timedOut = delay(ms, true, { signal: timeout.signal }).catch(() => false);
      return !(await Promise.race([this.closed.then(() => false), timedOut]));
    } finally {
      timeout.abort();
      this.child.unref();
    }
  }

  /** Ends it: SIGTERM (and SIGCONT, in case it was paused), then SIGKILL after 5 s. */
  async terminate(): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    this.child.kill('SIGCONT');
    if (await this.exitWithin(EXIT_GRACE_MS)) return;
    this.child.kill('SIGKILL');
    await this.exitWithin();
  }
}

/** The last lines a process wrote, for error messages. */
class LogTail {
  #lines: string[] = [];
  #partial = '';

  push(chunk: string): void {
    const lines = (this.#partial + chunk).split('\n');
    this.#partial = lines.pop() ?? '';
    this.#lines.push(...lines);
    if (this.#lines.length > TAIL_LINES) this.#lines.splice(0, this.#lines.length - TAIL_LINES);
  }

  toString(): string {
    return [...this.#lines, this.#partial].filter((line) => line.trim() !== '').join('\n');
  }
}

/** A started process, or why the port could not be had (any other failure throws). */
type LaunchResult = { readonly process: RedisProcess } | { readonly process?: undefined; readonly portInUse: string };

/** Spawns redis-server on `port` and waits until it answers PING, until `deadline`. */
async function launch(config: LaunchConfig, port: number, deadline: number): Promise<LaunchResult> {
  const proc = new RedisProcess(config, port);
  let lastProblem = 'no answer yet';
  for (;;) {
    if (!proc.running) break;
    try {
      const pid = await probe(port, Math.max(100, Math.min(1_000, deadline - Date.now())));
      // Someone else's Redis answering on the port we picked: ours cannot bind it.
      if (pid !== proc.pid) {
        await proc.terminate();
        return { portInUse: `port ${port} is taken by another Redis (pid ${pid})` };
      }
      return { process: proc };
    } catch (error) {
      lastProblem = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() >= deadline) {
      await proc.terminate();
      throw startFailure(`did not answer PING on ${HOST}:${port} in time (last: ${lastProblem})`, proc);
    }
    await delay(25);
  }
  await proc.closed; // its last words (the reason) may come after the exit
  const log = proc.log.toString();
  if (/address already in use/i.test(log)) return { portInUse: `port ${port} is in use\n${log}` };
  throw startFailure(proc.ended ?? 'ended', proc);
}

/**
 * Connects to the Redis on 127.0.0.1:`port`, sends PING and INFO server, and resolves with the
 * server's process id once it answered +PONG. Raw RESP, so that this module needs no client.
 */
function probe(port: number, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: HOST, port });
    let received = Buffer.alloc(0);
    const fail = (message: string): void => {
      socket.destroy();
      reject(new Error(message));
    };
    socket.setTimeout(timeoutMs, () => fail(`no answer within ${timeoutMs} ms`));
    socket.on('error', (error) => fail(error.message));
    socket.on('close', () => fail('the connection closed before an answer')); // a no-op once resolved
    socket.on('connect', () => socket.write('*1\r\n$4\r\nPING\r\n*2\r\n$4\r\nINFO\r\n$6\r\nserver\r\n'));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const firstEnd = received.indexOf('\r\n');
      if (firstEnd < 0) return;
      const first = received.subarray(0, firstEnd).toString();
      if (first !== '+PONG') return fail(`PING answered ${JSON.stringify(first)}`);
      const headerEnd = received.indexOf('\r\n', firstEnd + 2);
      if (headerEnd < 0) return;
      const header = received.subarray(firstEnd + 2, headerEnd).toString();
      const length = Number(header.slice(1));
      if (!header.startsWith('$') || !Number.isInteger(length)) return fail(`INFO answered ${JSON.stringify(header)}`);
      if (received.length < headerEnd + 2 + length) return;
      const info = received.subarray(headerEnd + 2, headerEnd + 2 + length).toString();
      socket.end();
      const pid = /^process_id:(\d+)/m.exec(info)?.[1];
      if (pid === undefined) return fail('INFO server has no process_id');
      resolve(Number(pid));
    });
  });
}

/** A port free on 127.0.0.1 right now: the OS picks it for a listener we close at once. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, HOST, () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** `name` if it is a path to an executable file, else the first executable `name` on PATH (and the fallbacks). */
function resolveBinary(name: string): string | undefined {
  if (name.includes('/')) return isExecutableFile(name) ? resolve(name) : undefined;
  const dirs = [...(process.env.PATH ?? '').split(delimiter), ...FALLBACK_DIRS];
  return dirs.filter((dir) => dir !== '').map((dir) => join(dir, name)).find(isExecutableFile);
}

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function notFound(named: string | undefined): RedisServerError {
  const where = named === undefined ? '`redis-server` is not on PATH' : `${JSON.stringify(named)} is not an executable file`;
  return new RedisServerError(
    'ERR_REDIS_SERVER_NOT_FOUND',
    `redis-server not found: ${where}. Install it (Debian/Ubuntu: \`apt-get install redis-server\`), ` +
      'name the binary in FUTURES_REDIS_SERVER, or set FUTURES_REDIS_URL to an existing Redis server.',
  );
}

function startFailure(what: string, proc: RedisProcess): RedisServerError {
  const log = proc.log.toString();
  return new RedisServerError(
    'ERR_REDIS_SERVER_START',
    `redis-server (${proc.binary}) ${what}${log ? `; its last output:\n${log}` : ' (no output)'}`,
  );
}

function stoppedError(url: string): RedisServerError {
  return new RedisServerError('ERR_REDIS_SERVER_STOPPED', `the Redis server at ${url} was stopped; start a new one`);
}

function unrefStream(stream: Readable | null): void {
  // Pipes from spawn are net.Sockets, which can be unref'd; the Readable type does not say so.
  (stream as { unref?: () => void } | null)?.unref?.();
}

let deathSignalWrapper: string | null | undefined;

/**
 * `setpriv` (util-linux >= 2.33, so Linux only) when it can set a parent-death signal: a
 * redis-server started through it gets SIGKILL from the kernel however we die, also by a signal
 * or a crash that skips the 'exit' event. The signal follows the spawning thread: in a worker
 * thread that is the worker's end, when its 'exit' event kills the server anyway. Looked up once.
 */
function parentDeathWrapper(): string | undefined {
  if (deathSignalWrapper === undefined) {
    const setpriv = process.platform === 'linux' ? resolveBinary('setpriv') : undefined;
    const help = setpriv === undefined ? undefined : spawnSync(setpriv, ['--help'], { encoding: 'utf8', timeout: 2_000 }).stdout;
    deathSignalWrapper = setpriv !== undefined && help?.includes('--pdeathsig') ? setpriv : null;
  }
  return deathSignalWrapper ?? undefined;
}

/** Clean-ups of the servers not stopped yet, run when this process exits. */
const atParentExit = new Set<() => void>();
let exitHookInstalled = false;

/** One 'exit' listener for all servers (one each would trip MaxListenersExceededWarning). */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const cleanUp of atParentExit) {
      try {
        cleanUp();
      } catch {
        // exiting anyway: the other servers still get killed
      }
    }
  });
}
