import { describe, expect, it } from 'vitest';
import { defineTasks, isTaskRef, resolveTaskRef, taskName, taskRef, type TaskContext, type TaskFunction } from '../src/index.js';

const tasksUrl = new URL('./fixtures/tasks.ts', import.meta.url);
const brokenUrl = new URL('./fixtures/broken-module.ts', import.meta.url);
const missingUrl = new URL('./fixtures/does-not-exist.ts', import.meta.url);
const context: TaskContext = { signal: new AbortController().signal };

async function resolved(ref: Parameters<typeof resolveTaskRef>[0]): Promise<TaskFunction> {
  return await resolveTaskRef(ref);
}

/** The export names listed at the end of a "no exported function" message, sorted. */
function listed(message: string): string[] {
  return message.slice(message.indexOf('its function exports are: ') + 'its function exports are: '.length).split(', ').sort();
}

describe('defineTasks', () => {
  const tasks = defineTasks<typeof import('./fixtures/tasks.js')>(tasksUrl);

  it('returns task references naming the module and the export', () => {
    expect(tasks.square.module).toBe(tasksUrl.href);
    expect(tasks.square.name).toBe('square');
    expect(tasks.greet.name).toBe('greet');
    expect(isTaskRef(tasks.square)).toBe(true);
    expect(Object.isFrozen(tasks.square)).toBe(true);
  });

  it('gives the same reference object each time', () => {
    expect(tasks.square).toBe(tasks.square);
    expect(tasks.add).not.toBe(tasks.square);
    const again = defineTasks<typeof import('./fixtures/tasks.js')>(tasksUrl);
    expect(again.square).toEqual(tasks.square);
  });

  it('accepts a URL string as well as a URL', () => {
    const fromString = defineTasks<typeof import('./fixtures/tasks.js')>(tasksUrl.href);
    expect(fromString.add.module).toBe(tasksUrl.href);
  });

  it('is not thenable: awaiting it gives the object itself', async () => {
    const proxy = defineTasks<typeof import('./fixtures/tasks.js')>(tasksUrl);
    expect((proxy as Record<string, unknown>).then).toBeUndefined();
    expect('then' in proxy).toBe(false);
    expect('square' in proxy).toBe(true);
    const awaited = await proxy;
    expect(awaited).toBe(proxy);
    expect(await Promise.resolve(proxy)).toBe(proxy);
  });

  it('has no symbol-keyed tasks', () => {
    expect((tasks as unknown as Record<symbol, unknown>)[Symbol.iterator]).toBeUndefined();
    expect((tasks as unknown as Record<symbol, unknown>)[Symbol.asyncIterator]).toBeUndefined();
  });

  it('is read-only', () => {
    expect(() => {
      (tasks as unknown as Record<string, unknown>).square = () => 0;
    }).toThrow('task references are read-only');
  });

  it('rejects a module that is not an absolute URL', () => {
    expect(() => defineTasks('./tasks.js')).toThrow(TypeError);
    expect(() => defineTasks('./tasks.js')).toThrow('the task module must be an absolute URL (got "./tasks.js"); build it with new URL("./tasks.js", import.meta.url)');
    expect(() => defineTasks('')).toThrow('the task module must be a URL or a URL string');
    expect(() => defineTasks(42 as never)).toThrow('the task module must be a URL or a URL string');
  });
});

describe('taskRef and isTaskRef', () => {
  it('builds one reference', () => {
    const ref = taskRef<[number], number>(tasksUrl, 'square');
    expect(ref).toMatchObject({ module: tasksUrl.href, name: 'square' });
    expect(isTaskRef(ref)).toBe(true);
    expect(Object.isFrozen(ref)).toBe(true);
  });

  it('validates its arguments with messages that say what is wrong', () => {
    expect(() => taskRef(tasksUrl, '')).toThrow('taskRef: name must be a non-empty string');
    expect(() => taskRef(tasksUrl, 5 as never)).toThrow(TypeError);
    expect(() => taskRef('tasks.js', 'square')).toThrow('the task module must be an absolute URL (got "tasks.js")');
    expect(() => taskRef(undefined as never, 'square')).toThrow('the task module must be a URL or a URL string');
  });

  it('isTaskRef is false for look-alikes and other values', () => {
    for (const value of [{ module: tasksUrl.href, name: 'square' }, null, undefined, 'square', () => 1, { [Symbol('@futures/core.TaskRef')]: true }]) {
      expect(isTaskRef(value)).toBe(false);
    }
  });

  it('isTaskRef recognises a reference made by another copy of the package (shared brand)', () => {
    expect(isTaskRef({ module: tasksUrl.href, name: 'square', [Symbol.for('@futures/core.TaskRef')]: true })).toBe(true);
  });

  it('taskName names references and functions', () => {
    expect(taskName(taskRef(tasksUrl, 'square'))).toBe('square');
    expect(taskName(function fetchPage() {})).toBe('fetchPage');
    expect(taskName(Object.defineProperty(() => {}, 'name', { value: '' }))).toBe('(anonymous function)');
  });
});

describe('resolveTaskRef', () => {
  it("loads the module and returns the export, callable with a task's this", async () => {
    const square = await resolved(taskRef(tasksUrl, 'square'));
    expect(square.call(context, 7)).toBe(49);
    const aborted = await resolved(taskRef(tasksUrl, 'aborted'));
    expect(aborted.call(context, 'a')).toEqual({ label: 'a', aborted: false });
    const greet = await resolved(taskRef(tasksUrl, 'greet'));
    expect(await greet.call(context, 'bob', '?')).toBe('hello bob?');
  });

  it('answers synchronously once a reference was resolved', async () => {
    const ref = taskRef(tasksUrl, 'add');
    const first = resolveTaskRef(ref);
    const fn = await first;
    const second = resolveTaskRef(ref);
    expect(typeof second).toBe('function');
    expect(second).toBe(fn);
  });

  it("a missing export is a TypeError listing the module's function exports", async () => {
    const error = await resolved(taskRef(tasksUrl, 'cube')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    const message = (error as Error).message;
    const prefix = `task module ${tasksUrl.href} has no exported function "cube"; its function exports are: `;
    expect(message.startsWith(prefix)).toBe(true);
    expect(listed(message)).toEqual(['aborted', 'add', 'fail', 'greet', 'square']); // not answer, not settings
  });

  it('an export that is not a function is a TypeError saying what it is', async () => {
    const error = await resolved(taskRef(tasksUrl, 'answer')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toContain('has no exported function "answer" (that export is number); its function exports are: ');
    expect(listed((error as Error).message)).toEqual(['aborted', 'add', 'fail', 'greet', 'square']);
    await expect(resolved(taskRef(tasksUrl, 'settings'))).rejects.toThrow('(that export is object)');
  });

  it('a module that throws while loading gives an error naming the module, with the cause', async () => {
    const error = await resolved(taskRef(brokenUrl, 'never')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe(`could not load task module ${brokenUrl.href}: broken-module failed to initialise`);
    expect((error as Error).cause).toBeInstanceOf(Error);
    expect(((error as Error).cause as Error).message).toBe('broken-module failed to initialise');
  });

  it('a module that does not exist gives an error naming the module, with the cause', async () => {
    const error = await resolved(taskRef(missingUrl, 'x')).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(new RegExp(`^could not load task module ${missingUrl.href.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: `));
    expect((error as Error).cause).toBeInstanceOf(Error);
    // The failure is not cached: asking again tries again (and fails the same way).
    await expect(resolved(taskRef(missingUrl, 'x'))).rejects.toThrow('could not load task module');
  });
});
