/**
 * `distributed`: throughput of the same small CPU-bound task (`work(n)`, ~0.3 ms) through
 * @futures/bullmq (`DistributedExecutor` here, `startWorker` in N worker processes) and through
 * BullMQ used directly (`Queue.addBulk`, N processes running a BullMQ `Worker`, results from
 * `QueueEvents`), with 1, 2 and 4 worker processes, in the same run, against one throwaway
 * redis-server that this scenario starts (and stops at the end, also on failure).
 *
 * Like the other throughput benches, every row runs in a fresh child process per round (the
 * order rotates every round) and the table shows the median over the rounds; besides tasks/s it
 * shows the CPU time per task of the bench process, the worker processes and Redis, which other
 * load on the machine moves much less than the wall time.
 */
import { execFileSync } from 'node:child_process';
import { findRedisServer, startRedisServer } from '@futures/bullmq/redis-server';
import { runInChild } from '../lib/child.js';
import { formatDuration, formatInteger, formatRate, formatRatio } from '../lib/format.js';
import { formatLoad } from '../lib/machine.js';
import type { Scenario } from '../lib/scenario.js';
import { median, summarize } from '../lib/stats.js';
import { printTable } from '../lib/table.js';
import { WARMUP_BUDGET_MS } from '../lib/throughput.js';
import { distributedCases, type DistributedCase } from './cases.js';
import { CHUNK, CONCURRENCY, DEFAULT_MAX_WORKERS, MAP_CHUNK, QUICK_TASKS, REDIS_PID_ENV, REDIS_URL_ENV, TASKS, WORKER_COUNTS } from './common.js';
import { measureCase, type DistributedSample } from './measure.js';
import { WORK_ROUNDS } from './workers/tasks.mjs';

const CHILD = new URL('./child.ts', import.meta.url);

/** `redis-server 7.0.15`, for the notes. */
function redisVersion(): string {
  const binary = findRedisServer();
  if (binary === undefined) return 'redis-server';
  try {
    const version = /v=(\S+)/.exec(execFileSync(binary, ['--version'], { encoding: 'utf8' }))?.[1];
    return version === undefined ? binary : `redis-server ${version}`;
  } catch {
    return binary;
  }
}

/** `--case=A|B`: only the rows whose name contains A or B (case-insensitive). */
function caseMatches(name: string, filter: string | undefined): boolean {
  if (filter === undefined || filter === '') return true;
  return filter
    .toLowerCase()
    .split('|')
    .some((part) => name.toLowerCase().includes(part));
}

function progress(text: string): void {
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${text}`);
}

const micros = (value: number): string => (Number.isNaN(value) ? 'n/a' : value.toFixed(0));

/** Prints the table: rates and ratios against BullMQ direct with as many workers, then CPU per task. */
function printResults(title: string, rows: readonly { item: DistributedCase; samples: DistributedSample[] }[], notes: readonly string[]): void {
  const stats = rows.map(({ item, samples }) => ({
    item,
    rate: summarize(samples.map((s) => s.rate)),
    bench: median(samples.map((s) => s.cpu.bench)),
    workers: median(samples.map((s) => s.cpu.workers)),
    redis: median(samples.map((s) => s.cpu.redis)),
    total: median(samples.map((s) => s.cpu.bench + s.cpu.workers + s.cpu.redis)),
  }));
  const direct = (workers: number): (typeof stats)[number] | undefined => stats.find((s) => s.item.kind === 'bullmq' && s.item.workers === workers);
  printTable({
    title,
    columns: [
      { header: 'case' },
      { header: 'tasks/s (median)', align: 'right' },
      { header: 'min – max', align: 'right' },
      { header: 'µs/task', align: 'right' },
      { header: 'vs BullMQ direct, same workers', align: 'right' },
      { header: 'CPU µs/task: bench', align: 'right' },
      { header: 'workers', align: 'right' },
      { header: 'Redis', align: 'right' },
      { header: 'total', align: 'right' },
      { header: 'CPU vs BullMQ direct', align: 'right' },
    ],
    rows: stats.map((s) => {
      const base = direct(s.item.workers);
      const self = base === s;
      return [
        s.item.name,
        formatRate(s.rate.median),
        `${formatRate(s.rate.min)} – ${formatRate(s.rate.max)}`,
        (1e6 / s.rate.median).toFixed(0),
        self ? '1.00× (base)' : base === undefined ? '–' : formatRatio(s.rate.median / base.rate.median),
        micros(s.bench),
        micros(s.workers),
        micros(s.redis),
        micros(s.total),
        self ? '1.00× (base)' : base === undefined || Number.isNaN(s.total) ? '–' : formatRatio(s.total / base.total),
      ];
    }),
    notes,
  });
}

export const distributedScenario: Scenario = {
  id: 'distributed',
  title: '@futures/bullmq vs BullMQ used directly: a ~0.3 ms task through Redis, 1, 2 and 4 worker processes',
  async run({ args, warmup }) {
    const tasks = args.tasks ?? (args.quick ? QUICK_TASKS : TASKS);
    const warmupTasks = Math.max(1, Math.floor(tasks / 4));
    const rounds = args.runs ?? (args.quick ? 2 : 3);
    const selected = distributedCases.flatMap((item, index) => (caseMatches(item.name, args.caseFilter) ? [{ item, index, samples: [] as DistributedSample[] }] : []));
    if (selected.length === 0) throw new Error(`--case=${args.caseFilter ?? ''} matches no case of distributed`);
    const redis = await startRedisServer();
    process.env[REDIS_URL_ENV] = redis.url;
    process.env[REDIS_PID_ENV] = String(redis.pid);
    try {
      for (let round = 0; round < rounds; round++) {
        for (let k = 0; k < selected.length; k++) {
          const row = selected[(round + k) % selected.length] as (typeof selected)[number];
          progress(`distributed: round ${round + 1}/${rounds}, case ${k + 1}/${selected.length}`);
          const sample = args.inProcess
            ? await measureCase(row.index, { tasks, warmupTasks, warmup })
            : await runInChild<DistributedSample>(CHILD, [`--index=${row.index}`, `--tasks=${tasks}`, `--warmup-tasks=${warmupTasks}`, `--warmup=${warmup}`]);
          row.samples.push(sample);
        }
      }
      progress('');
      const method = args.inProcess
        ? `median of ${rounds} rounds, every row in this process (--in-process)`
        : `median of ${rounds} rounds; each round runs every row in a fresh process`;
      printResults(
        `distributed: ${formatInteger(tasks)} tasks of work(n) (${formatInteger(WORK_ROUNDS)} xorshift rounds, ~0.3 ms) through Redis; ${WORKER_COUNTS.join(', ')} worker processes of concurrency ${CONCURRENCY}`,
        selected,
        [
          `${formatInteger(tasks)} tasks per run; ${method} (warm-up runs of ${formatInteger(warmupTasks)} tasks until they did ${formatInteger(tasks)} or took ${formatDuration(WARMUP_BUDGET_MS)}, then 1 timed run); full GC before it.`,
          `One ${redisVersion()} on 127.0.0.1 (no persistence), started by the bench; each row's process uses a fresh queue, and Redis is emptied (FLUSHALL) after it.`,
          'Each row starts its worker processes (plain node, no loader) and waits until each is connected; a run is timed from the first submit / addBulk',
          'to the last result, and its results must sum to 0 + 1 + … + (tasks - 1).',
          `@futures/bullmq: DistributedExecutor({ maxWorkers }) here, executor.submit(tasks.work, i) ×N, then Promise.all; startWorker({ concurrency: ${CONCURRENCY} }) in each worker`,
          `process (tasks on its default AsyncExecutor). maxWorkers ${DEFAULT_MAX_WORKERS} is its default (at most ${DEFAULT_MAX_WORKERS} tasks in Redis at once, the others wait here).`,
          `The "map, chunksize ${MAP_CHUNK}" row: executor.map(tasks.work, 0..N-1, { chunksize: ${MAP_CHUNK} }), each chunk of ${MAP_CHUNK} calls one job (what to use for tasks this small).`,
          'Its jobs carry their plain arguments and results as JSON (other values v8-serialized, base64) and stay in Redis for an hour (keepFinished).',
          `BullMQ direct: Queue.addBulk of { n: i } in chunks of ${CHUNK} (removeOnComplete: true), a BullMQ Worker({ concurrency: ${CONCURRENCY} }) per worker process whose processor`,
          "returns work(job.data.n), and each job's result from QueueEvents' 'completed' event, matched by job id.",
          '"vs BullMQ direct, same workers": the row\'s rate over the BullMQ direct row\'s with as many worker processes (the target is ≥ 0.90×).',
          'CPU µs/task (medians): this bench process, all worker processes, redis-server (user + system, /proc); "CPU vs BullMQ direct": total over that row\'s total.',
          `2 cores for everything: Redis, the bench process and the workers share them. At the end: ${formatLoad()}.`,
        ],
      );
    } finally {
      delete process.env[REDIS_URL_ENV];
      delete process.env[REDIS_PID_ENV];
      await redis.stop();
    }
  },
};

export const distributedScenarios: readonly Scenario[] = [distributedScenario];
