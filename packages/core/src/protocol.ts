/**
 * The task protocol every thread and process backend shares: how a task travels to a worker
 * (module URL, export name, arguments), how its outcome travels back (a value, or an error as
 * plain data), and how a worker runs a batch of them in order. One format, one runner.
 */
import type { RunningTask } from './executor.js';
import { isTaskRef, resolveTaskRef, type TaskContext } from './task.js';
import { deserializeError, serializeError, type SerializedError } from './transport.js';

/** One task as it travels to a worker. */
export interface TaskCall {
  /** The task module's URL. */
  readonly module: string;
  /** The export to call. */
  readonly name: string;
  /** The arguments (copied by structured clone on the way). */
  readonly args: readonly unknown[];
}

/** A task's outcome as it travels back: `[true, value]` or `[false, error as data]`. */
export type TaskOutcome = readonly [ok: true, value: unknown] | readonly [ok: false, error: SerializedError];

/** Builds the message form of a running task; the backend has refused plain functions at submit. */
export function toTaskCall(running: RunningTask): TaskCall {
  const task = running.task;
  if (!isTaskRef(task)) throw new TypeError('only task references can be sent to a worker');
  return { module: task.module, name: task.name, args: running.args };
}

/** A signal that never aborts: a worker stops a task by being stopped itself. */
const neverAborted: TaskContext = Object.freeze({ signal: new AbortController().signal });

/**
 * Worker side: runs `calls` one after another (an async task is awaited before the next
 * starts) and hands each outcome to `onOutcome` as soon as it is known, so that a crash part
 * way through loses nothing already done. `prepareArgs`/`prepareResult` let a backend revive or
 * convert values (e.g. shared-memory handles).
 */
export async function runTaskCalls(
  calls: readonly TaskCall[],
  onOutcome: (index: number, outcome: TaskOutcome) => void,
  hooks: {
    readonly context?: TaskContext;
    readonly prepareArgs?: (args: readonly unknown[]) => readonly unknown[];
    readonly prepareResult?: (value: unknown) => unknown;
    readonly beforeImport?: (module: string) => Promise<void> | void;
  } = {},
): Promise<void> {
  const context = hooks.context ?? neverAborted;
  for (let i = 0; i < calls.length; i++) {
    const call = calls[i] as TaskCall;
    let outcome: TaskOutcome;
    try {
      // Before the first import of a module (e.g. to register a TypeScript loader).
      const preparing = hooks.beforeImport?.(call.module);
      if (preparing !== undefined) await preparing;
      let fn = resolveTaskRef(call);
      if (typeof fn !== 'function') fn = await fn;
      const args = hooks.prepareArgs ? hooks.prepareArgs(call.args) : call.args;
      let value = fn.apply(context, args as unknown[]);
      if (typeof (value as PromiseLike<unknown> | null)?.then === 'function') value = await value;
      outcome = [true, hooks.prepareResult ? hooks.prepareResult(value) : value];
    } catch (error) {
      outcome = [false, serializeError(error)];
    }
    onOutcome(i, outcome);
  }
}

const errorClasses = new Map<string, Promise<Record<string, unknown>>>();

/**
 * Main side: turns an outcome back into `{ failed, value }`. An error of a class the task
 * module exports comes back as that class (the module is imported once, on the main side, only
 * when such an error arrives; if that fails the error keeps its name on a plain `Error`).
 */
export function fromTaskOutcome(outcome: TaskOutcome, module: string): Settlement | Promise<Settlement> {
  if (outcome[0]) return { failed: false, value: outcome[1] };
  const data = outcome[1];
  if (data.kind !== 'error' || BUILT_IN_ERRORS.has(data.className)) return { failed: true, value: deserializeError(data) };
  let classes = errorClasses.get(module);
  if (classes === undefined) {
    classes = (import(module) as Promise<Record<string, unknown>>).catch(() => ({}));
    errorClasses.set(module, classes);
  }
  return classes.then((exports) => ({ failed: true, value: deserializeError(data, exports) }));
}

/** A task's outcome on the main side. */
export interface Settlement {
  readonly failed: boolean;
  readonly value: unknown;
}

const BUILT_IN_ERRORS = new Set(['Error', 'TypeError', 'RangeError', 'SyntaxError', 'ReferenceError', 'EvalError', 'URIError', 'AggregateError']);
