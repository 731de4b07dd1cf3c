import {
  Executor,
  baseConfig,
  deserializeError,
  isTaskRef,
  resolveTaskRef,
  serializeError,
  type BaseExecutorOptions,
  type ExecutorCapabilities,
  type RunningTask,
} from '@futures/core';

/**
 * The suite's reference backend: runs task references in-process but copies every argument,
 * result and error through structured clone and the core's error transport, as a worker
 * backend does. It checks the suite's "copies" branch without threads or processes.
 */
export class ReferenceExecutor extends Executor {
  readonly capabilities: ExecutorCapabilities = { plainFunctions: false, stopRunning: 'cooperative', sameObjects: false };

  constructor(options?: BaseExecutorOptions) {
    super(baseConfig('ReferenceExecutor', options, { maxWorkers: 4 }));
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
