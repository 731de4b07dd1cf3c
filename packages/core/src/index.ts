/**
 * @futures/core: Python's `concurrent.futures` for Node.js. `Future`, the `Executor` base
 * class that backends extend, `wait`, `asCompleted`, the error classes and task references.
 * No runtime dependencies.
 *
 * @packageDocumentation
 */

export {
  BrokenExecutorError,
  CancelledError,
  ExecutorShutdownError,
  FuturesError,
  InvalidStateError,
  QueueFullError,
  TaskTimeoutError,
  TimeoutError,
  WorkerCrashedError,
  isFuturesError,
  type FuturesErrorCode,
  type FuturesErrorOptions,
} from './errors.js';
export { Future, type FutureOptions, type FutureState, type FutureWaitOptions } from './future.js';
export {
  BATCH_NOT_RUN,
  Executor,
  baseConfig,
  type BaseExecutorOptions,
  type ExecutorCapabilities,
  type ExecutorConfig,
  type BatchReport,
  type RunningTask,
  type ShutdownOptions,
  type SubmitOptions,
} from './executor.js';
export type { ExecutorEvents, ExecutorStats } from './events.js';
export type { DurationSummary } from './durations.js';
export { ChunkResults, type MapOptions } from './map.js';
export {
  ALL_COMPLETED,
  FIRST_COMPLETED,
  FIRST_EXCEPTION,
  asCompleted,
  wait,
  type AsCompletedOptions,
  type CompletedFuture,
  type ReturnWhen,
  type WaitOptions,
  type WaitResult,
} from './wait.js';
export {
  defineTasks,
  isTaskRef,
  resolveTaskRef,
  taskName,
  taskRef,
  type Task,
  type TaskArgs,
  type TaskContext,
  type TaskFunction,
  type TaskRef,
  type TaskRefs,
  type TaskResult,
} from './task.js';
export { deserializeError, serializeError, type SerializedError } from './transport.js';
export {
  batchLength,
  forEachOutcome,
  fromTaskOutcome,
  groupOutcomes,
  runTaskBatch,
  toTaskBatch,
  toTaskCall,
  type OutcomeGroup,
  type Settlement,
  type TaskBatch,
  type TaskCall,
  type TaskOutcome,
  type TaskRunHooks,
} from './protocol.js';
export { durationOption, integerOption, limitOption, optionsObject, rejectUnknownOptions } from './options.js';
export { describe as describeValue, formatMs } from './timing.js';
export { typeScriptImports, type TypeScriptImportOptions } from './typescript.js';
export { inheritableExecArgv } from './exec-argv.js';
