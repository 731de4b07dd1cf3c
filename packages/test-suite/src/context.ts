import type { Executor, ExecutorCapabilities } from '@futures/core';

/** The options the suite passes when it asks for a fresh executor. */
export interface SuiteExecutorOptions {
  /** Concurrency bound for this test. */
  readonly maxWorkers: number;
  /** Queue bound, when the test needs one. */
  readonly maxQueue?: number;
  /** Default per-task timeout in ms, when the test needs one. */
  readonly taskTimeout?: number;
}

/** Builds a fresh executor for one test. */
export type CreateExecutor = (options: SuiteExecutorOptions) => Executor | Promise<Executor>;

/** The test runner's `it`/`test` (vitest, jest, node:test wrappers); `skip` shows left-out tests. */
export interface TestFunction {
  (name: string, fn: () => Promise<void>, timeout?: number): void;
  skip?: (name: string, fn: () => Promise<void>) => void;
}

/** The groups of the suite; a backend can leave some out with `skip`. */
export type SuiteGroup =
  | 'submit'
  | 'errors'
  | 'map'
  | 'cancel'
  | 'abort'
  | 'taskTimeout'
  | 'queue'
  | 'shutdown'
  | 'waiting'
  | 'settle'
  | 'stats'
  | 'transport';

/** Options of `executorTestSuite`. */
export interface SuiteOptions {
  /** Groups to leave out (they are registered as skipped, so the report shows them). */
  readonly skip?: readonly SuiteGroup[];
  /**
   * Multiplies the suite's waits and test timeouts, for backends that start slowly.
   * @default 1
   */
  readonly timeScale?: number;
  /** The backend's capabilities; read from a probe executor when not given. */
  readonly capabilities?: ExecutorCapabilities;
}

/** What each group of tests gets. */
export interface GroupContext {
  /** The backend's capabilities. */
  readonly caps: ExecutorCapabilities;
  /** `ms` scaled by the suite's `timeScale`. */
  readonly ms: (ms: number) => number;
  /** Registers a test that gets a fresh executor and always shuts it down. */
  readonly test: (name: string, options: SuiteExecutorOptions, body: (executor: Executor) => Promise<void>) => void;
}
