/**
 * Command-line flags shared by every bench: `--quick`, `--only=…`, `--runs=N`, `--tasks=N`,
 * `--in-process`, `--case=TEXT`, `--help`.
 */

/** Parsed flags. */
export interface BenchArgs {
  /** Fewer runs and smaller inputs: a smoke test, not numbers to publish. */
  readonly quick: boolean;
  /** Scenario id prefixes to run (`async`, `async.window`); empty: all. */
  readonly only: readonly string[];
  /** Timed runs per case (after one warm-up run each); overrides the default. */
  readonly runs: number | undefined;
  /** Tasks per run in throughput scenarios; overrides the default. */
  readonly tasks: number | undefined;
  /**
   * Run every throughput case in this process (interleaved) instead of a fresh child process
   * per case and round: faster, but the libraries then share one JIT and one heap.
   */
  readonly inProcess: boolean;
  /** Only the throughput cases whose name contains this text (case-insensitive), e.g. to profile one; `a|b` for either. */
  readonly caseFilter: string | undefined;
  readonly help: boolean;
  /** Flags that were not recognised, kept for scenario-specific use (`--child=…`). */
  readonly rest: ReadonlyMap<string, string>;
}

function positiveInteger(name: string, value: string): number {
  const n = Number(value.replaceAll('_', ''));
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} expects a positive integer, got ${JSON.stringify(value)}`);
  return n;
}

/** Parses `argv` (default: `process.argv.slice(2)`). */
export function parseArgs(argv: readonly string[] = process.argv.slice(2)): BenchArgs {
  let quick = false;
  let help = false;
  let inProcess = false;
  let caseFilter: string | undefined;
  let runs: number | undefined;
  let tasks: number | undefined;
  const only: string[] = [];
  const rest = new Map<string, string>();
  for (const arg of argv) {
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (match === null) throw new Error(`unexpected argument ${JSON.stringify(arg)} (try --help)`);
    const [, name = '', value] = match;
    if (name === 'quick') quick = true;
    else if (name === 'help') help = true;
    else if (name === 'in-process') inProcess = true;
    else if (name === 'case') caseFilter = value;
    else if (name === 'only') only.push(...(value ?? '').split(',').map((s) => s.trim()).filter(Boolean));
    else if (name === 'runs') runs = positiveInteger(name, value ?? '');
    else if (name === 'tasks') tasks = positiveInteger(name, value ?? '');
    else rest.set(name, value ?? 'true');
  }
  return { quick, only, runs, tasks, inProcess, caseFilter, help, rest };
}

/** True when scenario `id` is selected by `--only` (a prefix match on dot-separated ids). */
export function isSelected(id: string, only: readonly string[]): boolean {
  return only.length === 0 || only.some((prefix) => id === prefix || id.startsWith(`${prefix}.`));
}
