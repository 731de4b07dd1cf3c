/**
 * The task protocol every thread and process backend shares: how tasks travel to a worker
 * (a {@link TaskBatch}: module URLs and export names once, then each call's arguments), how an
 * outcome travels back (a value, or an error as plain data), and how a worker runs a batch in
 * order. One format, one runner: the backends differ only in how they carry the messages.
 */
import type { RunningTask } from './executor.js';
import { isTaskRef, resolveTaskRef, type TaskContext, type TaskFunction } from './task.js';
import { deserializeError, serializeError, type SerializedError } from './transport.js';

/** One task as it is called in a worker. */
export interface TaskCall {
  /** The task module's URL. */
  readonly module: string;
  /** The export to call. */
  readonly name: string;
  /** The arguments (copied by structured clone on the way). */
  readonly args: readonly unknown[];
}

/**
 * Tasks as they travel to a worker, in one message. Structured clone and JSON copy a string
 * each time they meet it, so a batch names each (module, export) pair once: a batch of 256
 * calls to one task carries its URL once, not 256 times.
 */
export interface TaskBatch {
  /** The distinct tasks of the batch: `[module URL, export name]`. */
  readonly tasks: readonly (readonly [module: string, name: string])[];
  /** Per call, its index in `tasks`; absent when the batch has a single task. */
  readonly which?: readonly number[];
  /** Per call, its arguments (absent when `arg` is given). */
  readonly args?: readonly (readonly unknown[])[];
  /**
   * Per call, its only argument: replaces `args` when several calls all take one argument
   * (`map`'s case). One flat array copies several times faster than an array per call.
   */
  readonly arg?: readonly unknown[];
}

/** How many calls a batch holds. */
export function batchLength(batch: TaskBatch): number {
  return (batch.arg ?? batch.args ?? []).length;
}

/** The arguments of call `index` of a batch. */
function callArgs(batch: TaskBatch, index: number): readonly unknown[] {
  if (batch.arg !== undefined) return [batch.arg[index]];
  const args = batch.args?.[index];
  if (args === undefined) throw new TypeError(`task batch: call ${index} has no arguments`);
  return args;
}

/**
 * The outcomes of consecutive calls as they travel back in one message: the values in order,
 * the failures marked apart. One flat array copies several times faster than a pair per call.
 */
export interface OutcomeGroup {
  /** Per call, its result, or, for a call listed in `failed`, its error as data. */
  readonly values: readonly unknown[];
  /** Positions in `values` of the calls that failed, ascending; absent when none failed. */
  readonly failed?: readonly number[];
}

/** Packs outcomes into their travelling form. */
export function groupOutcomes(outcomes: readonly TaskOutcome[]): OutcomeGroup {
  const values = new Array<unknown>(outcomes.length);
  let failed: number[] | undefined;
  for (let k = 0; k < outcomes.length; k++) {
    const outcome = outcomes[k] as TaskOutcome;
    values[k] = outcome[1];
    if (!outcome[0]) (failed ??= []).push(k);
  }
  return failed === undefined ? { values } : { values, failed };
}

/** Unpacks a group: calls `visit` with each position, whether the call succeeded, and its value (or error as data), in order. */
export function forEachOutcome(group: OutcomeGroup, visit: (position: number, ok: boolean, value: unknown) => void): void {
  const { values, failed } = group;
  let nextFailed = failed === undefined ? -1 : (failed[0] as number);
  let f = 0;
  for (let k = 0; k < values.length; k++) {
    if (k === nextFailed) {
      nextFailed = (failed as readonly number[])[++f] ?? -1;
      visit(k, false, values[k]);
    } else {
      visit(k, true, values[k]);
    }
  }
}

/** A task's outcome as it travels back: `[true, value]` or `[false, error as data]`. */
export type TaskOutcome = readonly [ok: true, value: unknown] | readonly [ok: false, error: SerializedError];

/** Builds the message form of a running task; the backend has refused plain functions at submit. */
export function toTaskCall(running: RunningTask): TaskCall {
  const task = running.task;
  if (!isTaskRef(task)) throw new TypeError('only task references can be sent to a worker');
  return { module: task.module, name: task.name, args: running.args };
}

/** Message forms built ahead by the executor (a map chunk's, from its own lists). */
const preset = new WeakMap<readonly (RunningTask | TaskCall)[], TaskBatch>();

/** Records the message form of `batch`, for {@link toTaskBatch} to return. */
export function presetTaskBatch(batch: readonly (RunningTask | TaskCall)[], message: TaskBatch): void {
  preset.set(batch, message);
}

/** Builds the message form of tasks to run one after another in one worker. */
export function toTaskBatch(batch: readonly (RunningTask | TaskCall)[]): TaskBatch {
  const built = preset.get(batch);
  if (built !== undefined) return built;
  if (batch.length === 1) {
    // One task (the path of slow tasks, taken once per task): no search, no index.
    const item = batch[0] as RunningTask | TaskCall;
    const { module, name } = 'task' in item ? toTaskCall(item) : item;
    return { tasks: [[module, name]], args: [item.args] };
  }
  const tasks: [string, string][] = [];
  const args: (readonly unknown[])[] = new Array(batch.length);
  let which: number[] | undefined;
  let oneArg = true;
  let lastModule = '';
  let lastName = '';
  let last = -1;
  let lastTask: unknown;
  for (let i = 0; i < batch.length; i++) {
    const item = batch[i] as RunningTask | TaskCall;
    args[i] = item.args;
    if (item.args.length !== 1) oneArg = false;
    if ('task' in item) {
      if (item.task === lastTask) {
        which?.push(last); // the same task as the call before (a map chunk): nothing to look up
        continue;
      }
      lastTask = item.task;
    }
    const { module, name } = 'task' in item ? toTaskCall(item) : item;
    if (module !== lastModule || name !== lastName) {
      last = tasks.findIndex(([m, n]) => m === module && n === name);
      if (last === -1) last = tasks.push([module, name]) - 1;
      lastModule = module;
      lastName = name;
      if (last !== 0 && which === undefined) which = new Array<number>(i).fill(0);
    }
    which?.push(last);
  }
  const calls = oneArg ? { arg: args.map((list) => list[0]) } : { args };
  return which === undefined ? { tasks, ...calls } : { tasks, which, ...calls };
}

/** Hooks through which a backend adapts {@link runTaskBatch} to its transport. */
export interface TaskRunHooks {
  /** What tasks get as `this` (default: a context whose signal never aborts). */
  readonly context?: TaskContext;
  /**
   * Revives or converts the arguments before the call (e.g. shared-memory handles). Not called
   * for a call of a flat-argument batch whose one argument is a primitive.
   */
  readonly prepareArgs?: (args: readonly unknown[]) => readonly unknown[] | Promise<readonly unknown[]>;
  /** Converts a result before it is sent back (e.g. collects what to transfer). */
  readonly prepareResult?: (value: unknown) => unknown;
  /** Runs before the first import of a module (e.g. to register a TypeScript loader). */
  readonly beforeImport?: (module: string) => Promise<void> | void | undefined;
}

/** A signal that never aborts: a worker stops a task by being stopped itself. */
const neverAborted: TaskContext = Object.freeze({ signal: new AbortController().signal });

/**
 * Worker side: runs the calls of `batch` one after another (an async task is awaited before
 * the next starts) and hands each outcome to `onOutcome` as soon as it is known, so that a
 * crash part way through loses nothing already done.
 */
export async function runTaskBatch(batch: TaskBatch, onOutcome: (index: number, outcome: TaskOutcome) => void, hooks: TaskRunHooks = {}): Promise<void> {
  const context = hooks.context ?? neverAborted;
  const { tasks, which } = batch;
  const count = batchLength(batch);
  // Each distinct task of the batch is prepared and resolved once (a map chunk calls one task
  // a thousand times); a task that cannot be loaded fails each of its calls.
  const functions: (TaskFunction | { readonly error: unknown } | undefined)[] = new Array(tasks.length);
  for (let i = 0; i < count; i++) {
    let outcome: TaskOutcome;
    try {
      const t = which === undefined ? 0 : (which[i] as number);
      let fn = functions[t];
      if (fn === undefined) {
        const loading = loadTask(tasks[t], i, hooks);
        fn = typeof loading === 'function' ? loading : await loading.catch((error: unknown) => ({ error }));
        functions[t] = fn;
      }
      if (typeof fn !== 'function') throw fn.error;
      let value: unknown;
      const arg = batch.arg?.[i];
      if (batch.arg !== undefined && (typeof arg !== 'object' || arg === null)) {
        value = fn.call(context, arg); // map's usual call: one primitive argument, nothing to prepare
      } else {
        let args = callArgs(batch, i);
        if (hooks.prepareArgs !== undefined) {
          const prepared = hooks.prepareArgs(args);
          args = 'then' in prepared ? await prepared : prepared;
        }
        value = fn.apply(context, args as unknown[]);
      }
      if (typeof (value as PromiseLike<unknown> | null)?.then === 'function') value = await value;
      outcome = [true, hooks.prepareResult ? hooks.prepareResult(value) : value];
    } catch (error) {
      outcome = [false, serializeError(error)];
    }
    onOutcome(i, outcome);
  }
}

/** Prepares (e.g. registers a TypeScript loader) and resolves one task of a batch: synchronously once it was loaded before. */
function loadTask(task: readonly [module: string, name: string] | undefined, call: number, hooks: TaskRunHooks): TaskFunction | Promise<TaskFunction> {
  if (task === undefined) throw new TypeError(`task batch: call ${call} names no task`);
  const ref = { module: task[0], name: task[1] };
  const preparing = hooks.beforeImport?.(task[0]);
  return preparing === undefined ? resolveTaskRef(ref) : preparing.then(() => resolveTaskRef(ref));
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
