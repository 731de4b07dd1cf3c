/**
 * `futures worker [options]`: runs the tasks of a @futures/bullmq queue in this process
 * (`startWorker`) until Ctrl-C or SIGTERM, on the event loop, worker threads or child processes.
 * Any number of them, on any machines that reach the same Redis, share the queue's jobs.
 */
import { startWorker, type DistributedWorker, type WorkerOptions } from '@futures/bullmq';
import type { Executor } from '@futures/core';
import { EXIT, UsageError, parseCommandArgs, type CommandIO, type ParsedArgs } from '../command.js';
import { formatDuration } from '../format.js';

const HELP = `Usage: futures worker [options]

Run the tasks that DistributedExecutors (@futures/bullmq) put on a Redis queue, in this process,
until Ctrl-C or SIGTERM. Start as many as you like, on any machine that reaches the same Redis:
each takes jobs as it has room. Task modules are imported here by their URL, as the submitter
wrote it (the same file:// path on every machine, or use --allow to restrict them).

Queue:
      --redis <url>            redis://[user:password@]host:port[/db], rediss:// for TLS
                                 [$FUTURES_REDIS_URL, else redis://127.0.0.1:6379]
      --queue <name>           the queue the submitters use                          [futures]
      --prefix <prefix>        BullMQ's key prefix in Redis                          [bull]
      --allow <url|path>       import task modules only from here: a module URL or path, or
                                 a directory ending in /; repeat for several           [any]

Run:
      --backend <backend>      where tasks run: async (this event loop, for I/O-bound
                                 tasks), threads (worker threads), processes (child
                                 processes)                                          [async]
      --workers <n>            threads or processes in the pool                  [one per core]
  -c, --concurrency <n>        jobs run at once                  [async: 16, else --workers]

Redis:
      --lock-duration <ms>     a job's lock, renewed while it runs; once a dead worker's
                                 lock expires, its job goes to another worker         [30000]
      --stalled-interval <ms>  how often to look for jobs whose lock expired         [30000]
      --max-stalled-count <n>  times a job may lose its worker before it fails        [1]
      --connection-timeout <ms>
                               stop (exit 1) when Redis has not answered for this long [10000]

Output:
      --json                   one JSON line per finished job on stdout:
                                 {"id","task","module","ok","ms","attempt","error"?}
      --quiet                  no line per job (failures are still printed)
  -h, --help                   this text

A start line, one line per finished job and a summary go to stderr. Ctrl-C (or SIGTERM) stops
taking jobs and waits for the running ones; a second one quits at once (its running jobs go
to another worker once their lock expires).

TypeScript task modules: the worker registers tsx for them by itself (install tsx next to
@futures/cli), or point the submitters at compiled .js modules.

Exit status: 0 closed, 1 Redis lost (or could not start), 2 bad usage, 130 stopped by a signal.

Examples:
  futures worker --redis redis://10.0.0.5:6379 --queue thumbnails --backend threads
  futures worker --allow /srv/app/dist/tasks/ -c 32 --json >> jobs.jsonl
`;

const FLAGS = {
  redis: { type: 'string' },
  queue: { type: 'string' },
  prefix: { type: 'string' },
  allow: { type: 'string', multiple: true },
  backend: { type: 'string' },
  workers: { type: 'string' },
  concurrency: { type: 'string', short: 'c' },
  'lock-duration': { type: 'string' },
  'stalled-interval': { type: 'string' },
  'max-stalled-count': { type: 'string' },
  'connection-timeout': { type: 'string' },
  json: { type: 'boolean' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ParsedArgs<typeof FLAGS>['values'];

const BACKENDS = ['async', 'threads', 'processes'] as const;
type Backend = (typeof BACKENDS)[number];

/** What this command reads of a BullMQ job (`Job` of bullmq, which is not a dependency here). */
interface FinishedJob {
  readonly id?: string | undefined;
  readonly name: string;
  readonly data: unknown;
  readonly processedOn?: number | undefined;
  readonly finishedOn?: number | undefined;
  readonly attemptsMade: number;
  readonly opts: { readonly attempts?: number | undefined };
}

/** Runs the command; resolves to the exit code. */
export async function run(argv: readonly string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, FLAGS);
  if (values.help === true) {
    io.stdout.write(HELP);
    return EXIT.ok;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}: futures worker takes options only`);
  const redis = values.redis ?? (io.env.FUTURES_REDIS_URL || 'redis://127.0.0.1:6379');
  const shownRedis = redisForDisplay(redis);
  const backend = backendOf(values.backend);
  const workers = values.workers === undefined ? undefined : positiveInteger('--workers', values.workers);
  if (workers !== undefined && backend === 'async') throw new UsageError('--workers sets the pool size of --backend threads or processes (with async, use --concurrency)');
  const options = workerOptions(values, redis);
  const quiet = values.quiet === true || values.json === true;
  const print = (text: string): void => void io.stderr.write(`futures worker: ${text}\n`);

  let worker: DistributedWorker | undefined;
  let interrupted = false;
  const active = new Set<string>();
  // Ctrl-C: stop taking jobs, let the running ones finish (a second one: bin.ts quits at once).
  const unsubscribe = io.onInterrupt(() => {
    interrupted = true;
    const running = active.size;
    print(
      `stopping: ${running === 0 ? 'no job is running' : `finishing ${running} running job${running === 1 ? '' : 's'}`} ` +
        '(Ctrl-C again to quit at once: running jobs then go to another worker once their lock expires)',
    );
    void worker?.close();
  });

  try {
    const executor = await createExecutor(backend, workers);
    try {
      worker = await startWorker({ ...options, ...(executor === undefined ? {} : { executor }) });
    } catch (error) {
      await executor?.shutdown({ cancelFutures: true });
      if (error instanceof TypeError || error instanceof RangeError) throw error; // bad usage: exit 2
      print(`could not start: ${messageOf(error)}`);
      return EXIT.someFailed;
    }
  } catch (error) {
    unsubscribe();
    throw error;
  }
  if (interrupted) void worker.close();

  const started = performance.now();
  const counts = { done: 0, failed: 0, retried: 0 };
  const startedAt = new Map<string, number>();
  const finished = (job: FinishedJob | undefined, error: Error | undefined): void => {
    const id = job?.id ?? '?';
    const since = startedAt.get(id);
    startedAt.delete(id);
    active.delete(id);
    const ms = Math.round(since !== undefined ? performance.now() - since : (job?.finishedOn ?? 0) - (job?.processedOn ?? 0));
    const attempts = job?.opts.attempts ?? 1;
    const attempt = job?.attemptsMade ?? 1;
    const retry = error !== undefined && job !== undefined && attempt < attempts;
    if (error === undefined) counts.done++;
    else if (retry) counts.retried++;
    else counts.failed++;
    const task = job?.name ?? '?';
    if (values.json === true) {
      const module = (job?.data as { module?: unknown } | undefined)?.module;
      const line = { id, task, module: typeof module === 'string' ? module : undefined, ok: error === undefined, ms, attempt, ...(error === undefined ? {} : { error: error.message, retry }) };
      io.stdout.write(`${JSON.stringify(line)}\n`);
    }
    if (error !== undefined) {
      const tries = attempts > 1 ? ` (attempt ${attempt} of ${attempts}${retry ? ', will be retried' : ''})` : '';
      io.stderr.write(`FAILED ${task} (job ${id}) after ${formatDuration(ms)}: ${error.message}${tries}\n`);
    } else if (!quiet) io.stderr.write(`done ${task} (job ${id}) in ${formatDuration(ms)}\n`);
  };
  worker.worker.on('active', (job) => {
    if (job.id === undefined) return;
    active.add(job.id);
    startedAt.set(job.id, performance.now());
  });
  worker.worker.on('completed', (job) => finished(job, undefined));
  worker.worker.on('failed', (job, error) => finished(job, error));

  print(
    `taking jobs of queue ${worker.queueName} on ${shownRedis} (backend ${backend}${backend === 'async' ? '' : ` with ${worker.executor.maxWorkers} ${backend}`}, ` +
      `concurrency ${worker.worker.concurrency}, worker ${worker.name}); Ctrl-C to stop`,
  );

  let lost: unknown;
  try {
    await worker.closed;
  } catch (error) {
    lost = error;
  } finally {
    unsubscribe();
  }
  const summary = `${counts.done} job${counts.done === 1 ? '' : 's'} done, ${counts.failed} failed${counts.retried > 0 ? ` (and ${counts.retried} failed attempt${counts.retried === 1 ? '' : 's'} tried again)` : ''} in ${formatDuration(performance.now() - started)}`;
  if (lost !== undefined) {
    print(messageOf(lost));
    print(`stopped: ${summary}`);
    return EXIT.someFailed;
  }
  print(`stopped: ${summary}`);
  return interrupted ? EXIT.interrupted : EXIT.ok;
}

/** startWorker's options from the flags (the executor aside). */
function workerOptions(values: Values, redis: string): WorkerOptions {
  return {
    connection: redis,
    ...(values.queue === undefined ? {} : { queue: values.queue }),
    ...(values.prefix === undefined ? {} : { prefix: values.prefix }),
    ...(values.allow === undefined ? {} : { allowModules: values.allow.map((entry) => checkAllow(entry)) }),
    ...(values.concurrency === undefined ? {} : { concurrency: positiveInteger('--concurrency', values.concurrency) }),
    ...(values['lock-duration'] === undefined ? {} : { lockDuration: milliseconds('--lock-duration', values['lock-duration']) }),
    ...(values['stalled-interval'] === undefined ? {} : { stalledInterval: milliseconds('--stalled-interval', values['stalled-interval']) }),
    ...(values['max-stalled-count'] === undefined ? {} : { maxStalledCount: integer('--max-stalled-count', values['max-stalled-count']) }),
    ...(values['connection-timeout'] === undefined ? {} : { connectionTimeout: milliseconds('--connection-timeout', values['connection-timeout']) }),
  };
}

/**
 * The executor of `backend`, or `undefined` for async (startWorker then makes an AsyncExecutor
 * with `concurrency` workers).
 */
async function createExecutor(backend: Backend, workers: number | undefined): Promise<Executor | undefined> {
  const size = workers === undefined ? {} : { maxWorkers: workers };
  if (backend === 'threads') {
    const { ThreadPoolExecutor } = await import('@futures/worker-threads');
    return new ThreadPoolExecutor(size);
  }
  if (backend === 'processes') {
    const { ProcessPoolExecutor } = await import('@futures/child-process');
    return new ProcessPoolExecutor(size);
  }
  return undefined;
}

function backendOf(text: string | undefined): Backend {
  if (text === undefined) return 'async';
  if ((BACKENDS as readonly string[]).includes(text)) return text as Backend;
  throw new UsageError(`--backend must be ${BACKENDS.join(', ')}, got ${JSON.stringify(text)}`);
}

/** The Redis URL as printed: no password. */
function redisForDisplay(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--redis expects a URL like redis://127.0.0.1:6379, got ${JSON.stringify(text)}`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new UsageError(`--redis expects a redis:// or rediss:// URL, got ${JSON.stringify(text)}`);
  url.password = '';
  return url.href.replace(/\/$/, '');
}

function checkAllow(entry: string): string {
  if (entry.trim() === '') throw new UsageError('--allow expects a module URL or path, got ""');
  return entry;
}

function integer(flag: string, text: string, min = 0): number {
  const value = Number(text.replaceAll('_', ''));
  if (text.trim() === '' || !Number.isInteger(value) || value < min) throw new UsageError(`${flag} expects a whole number >= ${min}, got ${JSON.stringify(text)}`);
  return value;
}

function positiveInteger(flag: string, text: string): number {
  return integer(flag, text, 1);
}

function milliseconds(flag: string, text: string): number {
  const value = Number(text.replaceAll('_', ''));
  if (text.trim() === '' || !Number.isInteger(value) || value <= 0) throw new UsageError(`${flag} expects milliseconds (a whole number > 0), got ${JSON.stringify(text)}`);
  return value;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
