/**
 * Task references: one call site that runs on every backend. A reference names a module (by
 * URL) and one of its exports; each backend resolves it where the task runs (in-process, in a
 * worker thread, in a child process).
 */

/** What a running task can read from `this`: the signal that aborts it. */
export interface TaskContext {
  /**
   * Aborted when the task should stop: its per-call signal aborted or its timeout passed. The
   * reason says which. Long tasks should watch it.
   */
  readonly signal: AbortSignal;
}

/** Any function usable as a task: it may read {@link TaskContext} from `this`. */
export type TaskFunction<A extends readonly unknown[] = any[], R = unknown> = (this: TaskContext, ...args: A) => R;

const kTaskRef: unique symbol = Symbol.for('@futures/core.TaskRef');

/**
 * A reference to the export `name` of the module at `module` (a URL string). Created by
 * {@link defineTasks} or {@link taskRef}; typed with the export's arguments and result.
 */
export interface TaskRef<A extends readonly unknown[] = any[], R = unknown> {
  /** The module's URL (`file:` URL for local files), as given to `defineTasks`. */
  readonly module: string;
  /** The name of the export to call. */
  readonly name: string;
  /** Brand, so that structural look-alikes are not taken for references. */
  readonly [kTaskRef]: true;
  /** Type-only: the task's arguments and result. */
  readonly __types?: { readonly args: A; readonly result: R };
}

/** What `submit`/`map` accept: a task reference, or (on in-process backends) a plain function. */
export type Task<A extends readonly unknown[] = any[], R = unknown> = TaskRef<A, R> | TaskFunction<A, R | PromiseLike<R>>;

/** The arguments of a task, whether a reference or a function. */
export type TaskArgs<T> = T extends TaskRef<infer A, unknown> ? A : T extends (...args: infer A) => unknown ? A : never;

/** The (awaited) result of a task, whether a reference or a function. */
export type TaskResult<T> = T extends TaskRef<readonly unknown[], infer R> ? R : T extends (...args: never[]) => infer R ? Awaited<R> : never;

/** The typed references to every function export of module type `M`. */
export type TaskRefs<M> = {
  readonly [K in keyof M as M[K] extends (...args: never[]) => unknown ? K : never]: M[K] extends (...args: infer A) => infer R
    ? TaskRef<A, Awaited<R>>
    : never;
};

/**
 * Typed references to the exports of a task module.
 *
 * @example
 * // tasks.ts: export function square(x: number) { return x * x; }
 * const tasks = defineTasks<typeof import('./tasks.js')>(new URL('./tasks.js', import.meta.url));
 * await executor.submit(tasks.square, 7); // 49, typed as number
 */
export function defineTasks<M>(module: URL | string): TaskRefs<M> {
  const href = moduleHref(module);
  const cache = new Map<string, TaskRef>();
  return new Proxy(Object.create(null) as TaskRefs<M>, {
    get(_target, property) {
      // Not thenable (so `await defineTasks(...)` is safe), and no symbol-keyed tasks.
      if (typeof property !== 'string' || property === 'then') return undefined;
      if (property === 'toString' || property === 'toJSON') return () => `[task references to ${href}]`;
      let ref = cache.get(property);
      if (ref === undefined) cache.set(property, (ref = taskRef(href, property)));
      return ref;
    },
    has: (_target, property) => typeof property === 'string' && property !== 'then',
    set() {
      throw new TypeError('task references are read-only');
    },
  });
}

/**
 * One task reference: the export `name` of the module at `module`.
 *
 * @example
 * const square = taskRef<[number], number>(new URL('./tasks.js', import.meta.url), 'square');
 */
export function taskRef<A extends readonly unknown[] = any[], R = unknown>(module: URL | string, name: string): TaskRef<A, R> {
  if (typeof name !== 'string' || name === '') throw new TypeError('taskRef: name must be a non-empty string');
  return Object.freeze({ module: moduleHref(module), name, [kTaskRef]: true as const });
}

/** True when `value` is a task reference (from any copy of this package). */
export function isTaskRef(value: unknown): value is TaskRef {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[kTaskRef] === true;
}

/** A task's name for messages: the export name, or the function's name. */
export function taskName(task: unknown): string {
  if (isTaskRef(task)) return task.name;
  if (typeof task === 'function') return task.name || '(anonymous function)';
  return String(task);
}

/** Checks that `task` is a task reference or a function; the message says what to pass instead. */
export function checkTask(task: unknown, options: { readonly plainFunctions: boolean; readonly executorName: string }): void {
  if (isTaskRef(task)) return;
  if (typeof task === 'function') {
    if (options.plainFunctions) return;
    throw new TypeError(
      `${options.executorName} cannot run the plain function ${task.name || '(anonymous)'}: its code cannot be sent to another ` +
        `thread or process. Export it from a module and pass a task reference instead, e.g. ` +
        `defineTasks<typeof import('./tasks.js')>(new URL('./tasks.js', import.meta.url)).${task.name || 'myTask'}`,
    );
  }
  throw new TypeError(`expected a task reference${options.plainFunctions ? ' or a function' : ''}, got ${describeTask(task)}`);
}

function describeTask(task: unknown): string {
  return task === null ? 'null' : typeof task === 'object' ? 'an object that is not a task reference' : typeof task;
}

function moduleHref(module: URL | string): string {
  if (module instanceof URL) return module.href;
  if (typeof module !== 'string' || module === '') {
    throw new TypeError('the task module must be a URL or a URL string, e.g. new URL("./tasks.js", import.meta.url)');
  }
  try {
    return new URL(module).href;
  } catch {
    throw new TypeError(
      `the task module must be an absolute URL (got ${JSON.stringify(module)}); ` +
        `build it with new URL("./tasks.js", import.meta.url) or pathToFileURL(path)`,
    );
  }
}

const moduleCache = new Map<string, Promise<Record<string, unknown>>>();

/**
 * Imports the module of `ref` (once per process) and returns its export, checking that it is
 * a function. Backends call this where the task runs.
 */
export function resolveTaskRef(ref: Pick<TaskRef, 'module' | 'name'>): Promise<TaskFunction> | TaskFunction {
  const key = `${ref.module}#${ref.name}`;
  const loaded = resolvedFunctions.get(key);
  if (loaded !== undefined) return loaded;
  let module = moduleCache.get(ref.module);
  if (module === undefined) {
    module = import(ref.module) as Promise<Record<string, unknown>>;
    moduleCache.set(ref.module, module);
    module.catch(() => moduleCache.delete(ref.module));
  }
  return module.then(
    (exports) => {
      const fn = exports[ref.name];
      if (typeof fn !== 'function') {
        const found = Object.keys(exports).filter((key) => typeof exports[key] === 'function');
        throw new TypeError(
          `task module ${ref.module} has no exported function ${JSON.stringify(ref.name)}` +
            (fn === undefined ? '' : ` (that export is ${typeof fn})`) +
            `; its function exports are: ${found.length ? found.join(', ') : 'none'}`,
        );
      }
      resolvedFunctions.set(key, fn as TaskFunction);
      return fn as TaskFunction;
    },
    (error: unknown) => {
      throw new Error(`could not load task module ${ref.module}: ${(error as Error)?.message ?? String(error)}`, { cause: error });
    },
  );
}

/** Functions already resolved, by `module#name`: later calls need no promise. */
const resolvedFunctions = new Map<string, TaskFunction>();
