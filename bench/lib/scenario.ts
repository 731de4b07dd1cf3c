/** What run.ts orchestrates: named scenarios that print their own tables. */
import type { BenchArgs } from './args.js';

/** Settings every scenario receives. */
export interface BenchContext {
  readonly args: BenchArgs;
  /** Timed runs per case (7 by default, 3 with --quick, or --runs). */
  readonly runs: number;
  /** Untimed warm-up runs per case (per process when cases run in child processes). */
  readonly warmup: number;
  /** Timed runs per child process (3 by default, 1 with --quick). */
  readonly runsPerProcess: number;
}

/** One benchmark: `id` is what `--only` matches (dot-separated, e.g. `async.window`). */
export interface Scenario {
  readonly id: string;
  readonly title: string;
  run(context: BenchContext): Promise<void>;
}
