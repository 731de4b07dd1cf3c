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
import { formatDuration, formatInteger, formatRate, formatRatio } from './format.js';
import { median, summarize, type Summary } from './stats.js';
import { printTable } from './table.js';
import { shortName, type RatioColumn } from './ratios.js';
import type { Scenario } from './scenario.js';

/** One row of a throughput table: a library (or a way of using one) doing the same work. */
export type ThroughputCase = ThroughputCaseFromScratch | ThroughputCaseWithSession;

interface CaseName {
  /** The row label, e.g. `p-limit: limit(fn) ×N, Promise.all`. */
  readonly name: string;
  /** The row the others are compared to (exactly one case should be the baseline). */
  readonly baseline?: boolean;
}

/**
 * What a run resolves to: a checksum of its results, timed from the call to the settlement, or a
 * run that timed itself: e.g. another runtime in a subprocess (Python), which reports how long
 * the work took there, so that the pipe to it is not counted.
 */
export type RunResult = number | SelfTimedRun;

/** See {@link RunResult}. */
export interface SelfTimedRun {
  readonly checksum: number;
  /** How long the run took, measured by whatever ran it. */
  readonly ms: number;
}

/** A case whose every run starts from scratch (creating its limiter, queue or executor is timed). */
export interface ThroughputCaseFromScratch extends CaseName {
  /** Runs `tasks` tasks from scratch and resolves to a checksum of their results (see {@link RunResult}). */
  run(tasks: number): Promise<RunResult>;
}

/**
 * A case that runs in a session opened before its runs and closed after them, untimed: e.g. a
 * thread pool started once per process, then warmed up and timed on the same threads.
 */
export interface ThroughputCaseWithSession extends CaseName {
  open(): Promise<CaseSession>;
}

/** See {@link ThroughputCaseWithSession}. */
export interface CaseSession {
  /** Runs `tasks` tasks and resolves to a checksum of their results (see {@link RunResult}). */
  run(tasks: number): Promise<RunResult>;
  close(): Promise<void>;
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
  /**
   * Tasks per warm-up run. @default tasks. When smaller, warm-up runs repeat until they did one
   * timed run's tasks in all, or took {@link WARMUP_BUDGET_MS} (see {@link runCase}).
   */
  readonly warmupTasks?: number;
  /** Timed runs per child process; the round's sample is their median. Ignored in-process. @default 3 */
  readonly runsPerProcess?: number;
  /**
   * Stop a child's timed runs early once they took this long in all (at least one run is
   * timed): slow cases then get fewer runs per process and fast ones keep `runsPerProcess`.
   */
  readonly processBudgetMs?: number;
  /** Run all cases in this process, interleaved, instead of one child process per case and round. */
  readonly inProcess?: boolean;
  /** Run only the cases whose name contains this text (case-insensitive); `a|b`: either. */
  readonly caseFilter?: string | undefined;
  /** The checksum every run must return (catches a case that skips work). */
  readonly expectedChecksum?: (tasks: number) => number;
  /** Lines printed under the table. */
  readonly notes?: readonly string[];
  /** How the table shows the numbers. @default tasks/s and µs/task */
  readonly units?: ThroughputUnits;
  /**
   * More ratio columns besides the baseline's: a name prefix (the first case whose name starts
   * with it), or a {@link RatioColumn} that picks each row's reference (lib/ratios.ts).
   */
  readonly compareTo?: readonly (string | RatioColumn)[];
}

/** What a table calls its items, and the extra columns it shows. */
export interface ThroughputUnits {
  /** What one item of a run is, plural: `tasks`, `round trips`. */
  readonly items: string;
  /** The rate column's header, e.g. `tasks/s (median)`. */
  readonly rate: string;
  /** The per-item column: its header and the factor from seconds, e.g. `µs/task` and `1e6`. */
  readonly per: { readonly header: string; readonly scale: number; readonly digits: number };
  /** Also show the wall time of one run (tasks / rate). */
  readonly runTime?: boolean;
}

const TASK_UNITS: ThroughputUnits = { items: 'tasks', rate: 'tasks/s (median)', per: { header: 'µs/task', scale: 1e6, digits: 2 } };

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

/** Times one run after a full GC; returns tasks per second. */
async function timeOnce(name: string, run: (tasks: number) => Promise<RunResult>, tasks: number, expected: number | undefined): Promise<number> {
  collectGarbage();
  await settle();
  const start = performance.now();
  const result = await run(tasks);
  const elapsed = performance.now() - start;
  const { checksum, ms } = typeof result === 'number' ? { checksum: result, ms: elapsed } : result;
  if (expected !== undefined && checksum !== expected) {
    throw new Error(`${name}: checksum ${checksum}, expected ${expected}: the case did not run every task`);
  }
  return (tasks * 1000) / ms;
}

/** How {@link runCase} runs one case. */
export interface RunCaseOptions {
  readonly tasks: number;
  /** Warm-up runs, at least. */
  readonly warmup: number;
  /** Tasks per warm-up run. @default tasks */
  readonly warmupTasks?: number | undefined;
  readonly runs: number;
  /** Stop timing once the timed runs took this long (after at least one). */
  readonly budgetMs?: number | undefined;
  /** The checksum every run must return; a warm-up run is checked against `expectedFor(warmupTasks)`. */
  readonly expectedFor?: ((tasks: number) => number) | undefined;
}

/**
 * A warm-up of runs smaller than a timed run stops once it did one timed run's tasks in all, or
 * once it took this long: V8 compiles a case's hot code only after enough work, and a single
 * run of a tenth of the tasks (the size that keeps Python's slowest case bearable) left the
 * quick cases' first timed runs measuring the compiler (a 50,000-item map in a fresh process:
 * 82–104 ms for the first timed run, 28–50 ms from the fourth). Every case gets the same rule.
 */
export const WARMUP_BUDGET_MS = 1000;

/** Warm-up runs, then timed runs of one case in this process: tasks per second of each timed run. */
export async function runCase(item: ThroughputCase, options: RunCaseOptions): Promise<number[]> {
  const { tasks, expectedFor } = options;
  const warmupTasks = options.warmupTasks ?? tasks;
  const session = 'open' in item ? await item.open() : undefined;
  const run = session === undefined ? (item as ThroughputCaseFromScratch).run.bind(item) : session.run.bind(session);
  const samples: number[] = [];
  try {
    // Runs smaller than a timed run (and at least one asked for) repeat as WARMUP_BUDGET_MS says.
    const extend = options.warmup > 0 && warmupTasks < tasks;
    let warmed = 0;
    let warming = 0;
    for (let w = 0; w < options.warmup || (extend && warmed < tasks && warming < WARMUP_BUDGET_MS); w++) {
      warming += (warmupTasks * 1000) / (await timeOnce(item.name, run, warmupTasks, expectedFor?.(warmupTasks)));
      warmed += warmupTasks;
    }
    let spent = 0;
    for (let r = 0; r < options.runs; r++) {
      const rate = await timeOnce(item.name, run, tasks, expectedFor?.(tasks));
      samples.push(rate);
      spent += (tasks * 1000) / rate;
      if (options.budgetMs !== undefined && spent >= options.budgetMs) break;
    }
  } finally {
    await session?.close();
  }
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
  const warmupTasks = options.warmupTasks ?? tasks;
  const runsPerProcess = options.runsPerProcess ?? 3;
  const inProcess = options.inProcess === true;
  const expectedFor = options.expectedChecksum;
  const units = options.units ?? TASK_UNITS;
  const all = await loadCases(options.source);
  const filters = options.caseFilter?.toLowerCase().split('|');
  // Indexes into `all`: child processes load the same list and pick a case by index.
  const selected = all.flatMap((c, i) => (filters === undefined || filters.some((f) => c.name.toLowerCase().includes(f)) ? [i] : []));
  if (selected.length === 0) throw new Error(`--case=${options.caseFilter} matches no case of "${options.title}"`);
  const cases = selected.map((i) => all[i] as ThroughputCase);
  const baselineIndex = cases.findIndex((c) => c.baseline === true);
  // A table without a baseline case (only ratio columns of `compareTo`) has no baseline column.
  const hasBaseline = all.some((c) => c.baseline === true);
  const samples: number[][] = cases.map(() => []);

  if (inProcess) {
    for (const [i, item] of cases.entries()) {
      progress(`${options.title}: warm-up ${i + 1}/${cases.length}`);
      await runCase(item, { tasks, warmup, warmupTasks, runs: 0, expectedFor });
    }
  }
  for (let round = 0; round < runs; round++) {
    for (let k = 0; k < cases.length; k++) {
      const i = (round + k) % cases.length;
      const index = selected[i] as number;
      progress(`${options.title}: round ${round + 1}/${runs}, case ${k + 1}/${cases.length}`);
      let sample: number;
      if (inProcess) {
        [sample = NaN] = await runCase(cases[i] as ThroughputCase, { tasks, warmup: 0, runs: 1, expectedFor });
      } else {
        const args = [
          `--module=${options.source.module.href}`,
          `--export=${options.source.exportName}`,
          `--index=${index}`,
          `--tasks=${tasks}`,
          `--warmup=${warmup}`,
          `--warmup-tasks=${warmupTasks}`,
          `--runs=${runsPerProcess}`,
          ...(options.processBudgetMs === undefined ? [] : [`--budget-ms=${options.processBudgetMs}`]),
          ...(expectedFor === undefined ? [] : [`--expected=${expectedFor(tasks)}`, `--warmup-expected=${expectedFor(warmupTasks)}`]),
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

  const count = (n: number): string => `${formatInteger(n)} ${n === 1 ? units.items.replace(/s$/, '') : units.items}`;
  const warmupText =
    warmupTasks === tasks || warmupTasks * warmup >= tasks
      ? `${warmup} warm-up run${warmup === 1 ? '' : 's'}${warmupTasks === tasks ? '' : ` of ${count(warmupTasks)}`}`
      : `warm-up runs of ${count(warmupTasks)} until they did ${formatInteger(tasks)} or took ${formatDuration(WARMUP_BUDGET_MS)}`;
  const timedText =
    runsPerProcess === 1
      ? '1 timed run'
      : options.processBudgetMs === undefined
        ? `the median of ${runsPerProcess} timed runs`
        : `the median of up to ${runsPerProcess} timed runs, fewer once they took ${formatDuration(options.processBudgetMs)}`;
  const method = inProcess
    ? `median of ${runs} runs per case, interleaved in one process after ${warmupText} each`
    : `median of ${runs} rounds; each round runs every case in a fresh process (${warmupText}, then ${timedText})`;
  // Extra ratio columns: a named case's median, or the reference a RatioColumn picks per row.
  const rows = results.map((r) => ({ name: r.name, median: r.summary.median }));
  const others = (options.compareTo ?? []).map((column): RatioColumn =>
    typeof column === 'string'
      ? { header: `vs ${shortName(column)}`, reference: () => cases.findIndex((c) => c.name.startsWith(column)) }
      : column,
  );
  const ratioCell = (value: number, self: boolean): string => (self ? '1.00× (base)' : Number.isNaN(value) ? '–' : formatRatio(value));
  const otherCell = (column: RatioColumn, i: number): string => {
    const reference = column.reference(i, rows);
    return ratioCell(reference < 0 ? NaN : (rows[i] as { median: number }).median / (rows[reference] as { median: number }).median, reference === i);
  };
  printTable({
    title: options.title,
    columns: [
      { header: 'case' },
      { header: units.rate, align: 'right' },
      { header: 'min – max', align: 'right' },
      ...(units.runTime === true ? [{ header: 'ms/run', align: 'right' as const }] : []),
      { header: units.per.header, align: 'right' },
      ...(hasBaseline ? [{ header: `vs ${shortName(baselineName)}`, align: 'right' as const }] : []),
      ...others.map((o) => ({ header: typeof o.header === 'string' ? o.header : o.header(rows), align: 'right' as const })),
    ],
    rows: results.map((r, i) => [
      r.name,
      formatRate(r.summary.median),
      `${formatRate(r.summary.min)} – ${formatRate(r.summary.max)}`,
      ...(units.runTime === true ? [((tasks * 1000) / r.summary.median).toFixed(0)] : []),
      (units.per.scale / r.summary.median).toFixed(units.per.digits),
      ...(hasBaseline ? [ratioCell(r.ratio, r.baseline)] : []),
      ...others.map((o) => otherCell(o, i)),
    ]),
    notes: [`${formatInteger(tasks)} ${units.items} per run; ${method}; full GC before every run.`, ...(options.notes ?? [])],
  });
  return results;
}

/** What {@link throughputScenario} needs besides the shared run settings. */
export interface ThroughputScenarioOptions {
  readonly id: string;
  readonly title: string;
  /** The table heading, given the number of tasks per run. */
  readonly heading: (tasks: number) => string;
  readonly source: CaseSource;
  /** Tasks per run, normally and with `--quick` (`--tasks` overrides both, unless `ownSize`). */
  readonly tasks: { readonly full: number; readonly quick: number };
  /** `--tasks` does not apply: the items are not trivial tasks (CPU-bound tasks, buffer round trips, pool cycles). */
  readonly ownSize?: boolean;
  readonly expectedChecksum?: (tasks: number) => number;
  readonly notes?: readonly string[];
  readonly units?: ThroughputUnits;
  readonly compareTo?: readonly (string | RatioColumn)[];
  /** Rounds, normally and with `--quick`, when this scenario needs other than the bench's default (`--runs` overrides both). */
  readonly rounds?: { readonly full: number; readonly quick: number };
  /** Timed runs per child process (default: the bench's). */
  readonly runsPerProcess?: number;
  /** See {@link ThroughputOptions.processBudgetMs}. */
  readonly processBudgetMs?: number;
  /** Tasks per warm-up run, given the tasks per timed run. @default the same */
  readonly warmupTasks?: (tasks: number) => number;
}

/** A scenario that measures one set of throughput cases with the command line's settings. */
export function throughputScenario(options: ThroughputScenarioOptions): Scenario {
  return {
    id: options.id,
    title: options.title,
    async run({ args, runs, warmup, runsPerProcess }) {
      const tasks = (options.ownSize === true ? undefined : args.tasks) ?? (args.quick ? options.tasks.quick : options.tasks.full);
      const rounds = args.runs ?? (options.rounds === undefined ? runs : args.quick ? options.rounds.quick : options.rounds.full);
      await measureThroughput({
        title: options.heading(tasks),
        source: options.source,
        tasks,
        runs: rounds,
        warmup,
        runsPerProcess: args.quick ? runsPerProcess : (options.runsPerProcess ?? runsPerProcess),
        inProcess: args.inProcess,
        caseFilter: args.caseFilter,
        ...(options.warmupTasks === undefined ? {} : { warmupTasks: Math.max(1, options.warmupTasks(tasks)) }),
        ...(options.processBudgetMs === undefined ? {} : { processBudgetMs: options.processBudgetMs }),
        ...(options.expectedChecksum === undefined ? {} : { expectedChecksum: options.expectedChecksum }),
        ...(options.notes === undefined ? {} : { notes: options.notes }),
        ...(options.units === undefined ? {} : { units: options.units }),
        ...(options.compareTo === undefined ? {} : { compareTo: options.compareTo }),
      });
    },
  };
}
