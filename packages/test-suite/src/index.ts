/**
 * @futures/test-suite: the conformance suite every @futures executor runs, keyv-style.
 *
 * @example
 * import { it } from 'vitest';
 * import { executorTestSuite } from '@futures/test-suite';
 * import { AsyncExecutor } from '@futures/async';
 *
 * executorTestSuite(it, (options) => new AsyncExecutor(options));
 *
 * @packageDocumentation
 */
export { executorTestSuite } from './suite.js';
export { faultTasks, faultTasksUrl, suiteTasks, suiteTasksUrl } from './refs.js';
export type { CreateExecutor, SuiteExecutorOptions, SuiteGroup, SuiteOptions, TestFunction } from './context.js';
