/**
 * `@futures/core/worker`: what a worker thread or child process needs to run tasks — the worker
 * side of the shared task protocol, error transport and TypeScript task modules — without the
 * executor, futures, `map` and `wait`. A worker that imports this instead of `@futures/core`
 * loads a third of the modules and starts sooner (measured in a fresh worker thread: ~13 ms to
 * import this against ~30 ms for the whole package). The same functions are exported by
 * `@futures/core` too; both names load the same modules.
 */
export { batchLength, groupOutcomes, runTaskBatch, type OutcomeGroup, type TaskBatch, type TaskOutcome, type TaskRunHooks } from './protocol.js';
export { deserializeError, serializeError, type SerializedError } from './transport.js';
export { typeScriptImports, type TypeScriptImportOptions } from './typescript.js';
export { TimeoutError } from './errors.js';
