/**
 * Throughput comparisons: several cases doing the same work, timed in interleaved rounds, printed
 * as median tasks/s with the spread and the ratio to a baseline case.
 *
 * By default every (round, case) pair runs in a fresh child process (one warm-up run, then
 * timed runs), so that each library gets its own JIT feedback and heap, as in a real program,
 * and the process-to-process variation of V8 (heap layout, optimization decisions) is sampled
 * rather than baked into one process. `--in-process` runs everything in this process instead.
 */
import { runInChild } from './child.js';
import { collectGarbage } from './gc.js';
import { formatInteger, formatRate, formatRatio } from './format.js';
import { median, summarize, type Summary } from './stats.js';
import { printTable } from './table.js';
import type { Scenario } from './scenario.js';

/** One row of a throughput table: a library (or a way of using one) doing the same work. */
export interface ThroughputCase {
  /** The row label, e.g. `p-limit: limit(fn) ×N, Promise.all`. */
  readonly name: string;
  /** The row the others are compared to (exactly one case should be the baseline). */
  readonly baseline?: boolean;
  /** Runs `tasks` tasks from scratch and resolves to a checksum of their results. */
  run(tasks: number): Promise<number>;
}

/** Where the cases are: a module and the name of its export (an array of {@link ThroughputCase}); child processes import it. */
export interface CaseSource {
  readonly module: URL;
  readonly exportName: string;
}

/** What {@link measureThroughput} runs and how. */
export interface ThroughputOptions {
  readonly title: string;
  readonly source: CaseSource;
  /** Tasks per run. */
  readonly tasks: number;
  /** Rounds: each runs every case once (in a fresh process unless `inProcess`). The table shows the median over rounds. */
  readonly runs: number;
  /** Untimed warm-up runs per case (per process when isolated). @default 1 */
  readonly warmup?: number;
  /** Timed runs per child process; the round's sample is their median. Ignored in-process. @default 3 */
  readonly runsPerProcess?: number;
  /** Run all cases in this process, interleaved, instead of one child process per case and round. */
  readonly inProcess?: boolean;
  /** Run only the cases whose name contains this text (case-insensitive). */
  readonly caseFilter?: string | undefined;
  /** The checksum every run must return (catches a case that skips work). */
  readonly expectedChecksum?: (tasks: number) => number;
  /** Lines printed under the table. */
  readonly notes?: readonly string[];
}

/** The measurements of one case. */
export interface ThroughputResult {
  readonly name: string;
  readonly baseline: boolean;
  /** Tasks per second of each round, in round order. */
  readonly samples: readonly number[];
  readonly summary: Summary;
  /** Median of this case divided by the median of the baseline. */
  readonly ratio: number;
}

/** Loads the cases of `source`. */
export async function loadCases(source: CaseSource): Promise<readonly ThroughputCase[]> {
  const exports = (await import(source.module.href)) as Record<string, unknown>;
  const cases = exports[source.exportName];
  if (!Array.isArray(cases)) throw new Error(`${source.module.href} does not export an array ${source.exportName}`);
  return cases as ThroughputCase[];
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Times one run of `item` after a full GC; returns tasks per second. */
async function timeOnce(item: ThroughputCase, tasks: number, expected: number | undefined): Promise<number> {
  collectGarbage();
  await settle();
  const start = performance.now();
  const checksum = await item.run(tasks);
  const ms = performance.now() - start;
  if (expected !== undefined && checksum !== expected) {
    throw new Error(`${item.name}: checksum ${checksum}, expected ${expected}: the case did not run every task`);
  }
  return (tasks * 1000) / ms;
}

/** Warm-up runs, then timed runs of one case in this process: tasks per second of each timed run. */
export async function runCase(item: ThroughputCase, tasks: number, warmup: number, runs: number, expected: number | undefined): Promise<number[]> {
  for (let w = 0; w < warmup; w++) await timeOnce(item, tasks, expected);
  const samples: number[] = [];
  for (let r = 0; r < runs; r++) samples.push(await timeOnce(item, tasks, expected));
  return samples;
}

/** What lib/throughput-child.ts reports. */
export interface ChildSamples {
  readonly samples: number[];
}

const CHILD = new URL('./throughput-child.ts', import.meta.url);

function progress(text: string): void {
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${text}`);
}

/**
 * Runs `runs` rounds; each round runs every case once, starting with a different case each
 * round, so that drift (other load on the machine) spreads over all cases rather than hitting
 * one. Prints the table and returns the results.
 */
export async function measureThroughput(options: ThroughputOptions): Promise<ThroughputResult[]> {
  const { tasks, runs } = options;
  const warmup = options.warmup ?? 1;
  const runsPerProcess = options.runsPerProcess ?? 3;
  const inProcess = options.inProcess === true;
  const expected = options.expectedChecksum?.(tasks);
  const all = await loadCases(options.source);
  const filter = options.caseFilter?.toLowerCase();
  // Indexes into `all`: child processes load the same list and pick a case by index.
  const selected = all.flatMap((c, i) => (filter === undefined || c.name.toLowerCase().includes(filter) ? [i] : []));
  if (selected.length === 0) throw new Error(`--case=${options.caseFilter} matches no case of "${options.title}"`);
  const cases = selected.map((i) => all[i] as ThroughputCase);
  const baselineIndex = cases.findIndex((c) => c.baseline === true);
  const samples: number[][] = cases.map(() => []);

  if (inProcess) {
    for (const [i, item] of cases.entries()) {
      progress(`${options.title}: warm-up ${i + 1}/${cases.length}`);
      await runCase(item, tasks, warmup, 0, expected);
    }
  }
  for (let round = 0; round < runs; round++) {
    for (let k = 0; k < cases.length; k++) {
      const i = (round + k) % cases.length;
      const index = selected[i] as number;
      progress(`${options.title}: round ${round + 1}/${runs}, case ${k + 1}/${cases.length}`);
      let sample: number;
      if (inProcess) {
        [sample = NaN] = await runCase(cases[i] as ThroughputCase, tasks, 0, 1, expected);
      } else {
        const args = [
          `--module=${options.source.module.href}`,
          `--export=${options.source.exportName}`,
          `--index=${index}`,
          `--tasks=${tasks}`,
          `--warmup=${warmup}`,
          `--runs=${runsPerProcess}`,
          ...(expected === undefined ? [] : [`--expected=${expected}`]),
        ];
        sample = median((await runInChild<ChildSamples>(CHILD, args)).samples);
      }
      samples[i]?.push(sample);
    }
  }
  progress('');

  const summaries = samples.map((s) => summarize(s));
  const baseline = summaries[baselineIndex];
  const baselineName = cases[baselineIndex]?.name ?? all.find((c) => c.baseline === true)?.name ?? 'baseline';
  const results = cases.map((item, i) => ({
    name: item.name,
    baseline: i === baselineIndex,
    samples: samples[i] as number[],
    summary: summaries[i] as Summary,
    ratio: baseline === undefined ? NaN : (summaries[i] as Summary).median / baseline.median,
  }));

  const method = inProcess
    ? `median of ${runs} runs per case, interleaved in one process after ${warmup} warm-up run${warmup === 1 ? '' : 's'} each`
    : `median of ${runs} rounds; each round runs every case in a fresh process (${warmup} warm-up run${warmup === 1 ? '' : 's'}, then ${runsPerProcess === 1 ? "1 timed run" : `the median of ${runsPerProcess} timed runs`})`;
  printTable({
    title: options.title,
    columns: [
      { header: 'case' },
      { header: 'tasks/s (median)', align: 'right' },
      { header: 'min – max', align: 'right' },
      { header: 'µs/task', align: 'right' },
      { header: `vs ${shortName(baselineName)}`, align: 'right' },
    ],
    rows: results.map((r) => [
      r.name,
      formatRate(r.summary.median),
      `${formatRate(r.summary.min)} – ${formatRate(r.summary.max)}`,
      (1e6 / r.summary.median).toFixed(2),
      r.baseline ? '1.00× (base)' : Number.isNaN(r.ratio) ? '–' : formatRatio(r.ratio),
    ]),
    notes: [`${formatInteger(tasks)} tasks per run; ${method}; full GC before every run.`, ...(options.notes ?? [])],
  });
  return results;
}

/** `p-limit: limit(fn) ×N` → `p-limit` (the library part of a case name). */
function shortName(name: string): string {
  return name.split(':')[0]?.trim() ?? name;
}

/** What {@link throughputScenario} needs besides the shared run settings. */
export interface ThroughputScenarioOptions {
  readonly id: string;
  readonly title: string;
  /** The table heading, given the number of tasks per run. */
  readonly heading: (tasks: number) => string;
  readonly source: CaseSource;
  /** Tasks per run, normally and with `--quick` (`--tasks` overrides both). */
  readonly tasks: { readonly full: number; readonly quick: number };
  readonly expectedChecksum?: (tasks: number) => number;
  readonly notes?: readonly string[];
}

/** A scenario that measures one set of throughput cases with the command line's settings. */
export function throughputScenario(options: ThroughputScenarioOptions): Scenario {
  return {
    id: options.id,
    title: options.title,
    async run({ args, runs, warmup, runsPerProcess }) {
      const tasks = args.tasks ?? (args.quick ? options.tasks.quick : options.tasks.full);
      await measureThroughput({
        title: options.heading(tasks),
        source: options.source,
        tasks,
        runs,
        warmup,
        runsPerProcess,
        inProcess: args.inProcess,
        caseFilter: args.caseFilter,
        ...(options.expectedChecksum === undefined ? {} : { expectedChecksum: options.expectedChecksum }),
        ...(options.notes === undefined ? {} : { notes: options.notes }),
      });
    },
  };
}
