import {
  Executor,
  baseConfig,
  deserializeError,
  isTaskRef,
  resolveTaskRef,
  serializeError,
  type BaseExecutorOptions,
  type BatchReport,
  type ExecutorCapabilities,
  type RunningTask,
} from '@futures/core';

/**
 * The suite's reference backend: runs task references in-process but copies every argument,
 * result and error through structured clone and the core's error transport, and takes tasks in
 * batches, as a worker backend does. It checks the suite's "copies" branch and the executor's
 * batching without threads or processes.
 */
export class ReferenceExecutor extends Executor {
  readonly capabilities: ExecutorCapabilities = { plainFunctions: false, stopRunning: 'cooperative', sameObjects: false };

  constructor(options?: BaseExecutorOptions) {
    super(baseConfig('ReferenceExecutor', options, { maxWorkers: 4 }));
  }

  /** Batches like the thread and process backends, so the suite covers the executor's batching too. */
  protected override get maxBatchSize(): number {
    return 8;
  }

  protected override async runBatch(batch: readonly RunningTask[], report: BatchReport): Promise<void> {
    for (let i = 0; i < batch.length; i++) {
      try {
        report(i, false, await this.runTask(batch[i] as RunningTask));
      } catch (error) {
        report(i, true, error);
      }
    }
  }

  protected async runTask(running: RunningTask): Promise<unknown> {
    if (!isTaskRef(running.task)) throw new TypeError('ReferenceExecutor runs task references only');
    const args = structuredClone(running.args) as unknown[];
    let result: unknown;
    try {
      const fn = await resolveTaskRef(running.task);
      result = await fn.apply(running.context, args);
    } catch (error) {
      const exports = (await import(running.task.module).catch(() => ({}))) as Record<string, unknown>;
      throw deserializeError(structuredClone(serializeError(error)), exports);
    }
    return structuredClone(result);
  }
}
