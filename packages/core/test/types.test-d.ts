/**
 * Type tests, checked by `tsc -p tsconfig.json --noEmit` (the `typecheck` script); vitest does
 * not run this file. Each `@ts-expect-error` must stay an error, or tsc fails.
 */
import { describe, expectTypeOf, it } from 'vitest';
import {
  asCompleted,
  defineTasks,
  taskRef,
  wait,
  type Executor,
  type Future,
  type TaskArgs,
  type TaskContext,
  type TaskRef,
  type TaskResult,
  type WaitResult,
} from '../src/index.js';

const tasks = defineTasks<typeof import('./fixtures/tasks.js')>(new URL('./fixtures/tasks.ts', import.meta.url));
declare const executor: Executor;

describe('defineTasks', () => {
  it('infers each export as a typed reference', () => {
    expectTypeOf(tasks.square).toEqualTypeOf<TaskRef<[x: number], number>>();
    expectTypeOf(tasks.add).toEqualTypeOf<TaskRef<[a: number, b: number], number>>();
  });

  it('an async function gives its awaited result; optional parameters stay optional', () => {
    expectTypeOf(tasks.greet).toEqualTypeOf<TaskRef<[name: string, punctuation?: string], string>>();
  });

  it('the `this: TaskContext` parameter is not an argument', () => {
    expectTypeOf(tasks.aborted).toEqualTypeOf<TaskRef<[label: string], { label: string; aborted: boolean }>>();
  });

  it('only function exports become references, and they are read-only', () => {
    expectTypeOf(tasks).not.toHaveProperty('answer');
    expectTypeOf(tasks).not.toHaveProperty('settings');
    expectTypeOf(tasks).toHaveProperty('fail');
    // @ts-expect-error references are read-only
    tasks.square = tasks.add;
  });

  it('taskRef takes explicit types', () => {
    expectTypeOf(taskRef<[number], string>('file:///t.js', 'name')).toEqualTypeOf<TaskRef<[number], string>>();
  });

  it('TaskArgs and TaskResult read references and functions alike', () => {
    expectTypeOf<TaskArgs<typeof tasks.add>>().toEqualTypeOf<[a: number, b: number]>();
    expectTypeOf<TaskResult<typeof tasks.greet>>().toEqualTypeOf<string>();
    type FetchLength = (url: string, retries: number) => Promise<number>;
    expectTypeOf<TaskArgs<FetchLength>>().toEqualTypeOf<[url: string, retries: number]>();
    expectTypeOf<TaskResult<FetchLength>>().toEqualTypeOf<number>();
  });
});

describe('submit', () => {
  it('types the future from the task', () => {
    expectTypeOf(executor.submit(tasks.square, 3)).toEqualTypeOf<Future<number>>();
    expectTypeOf(executor.submit(tasks.greet, 'ada')).toEqualTypeOf<Future<string>>();
    expectTypeOf(executor.submit(tasks.greet, 'ada', '?')).toEqualTypeOf<Future<string>>();
    expectTypeOf(executor.submit(tasks.aborted, 'x')).toEqualTypeOf<Future<{ label: string; aborted: boolean }>>();
    expectTypeOf(executor.submit((a: number, b: string) => a + b.length, 1, 'x')).toEqualTypeOf<Future<number>>();
    expectTypeOf(executor.submit(async (s: string) => s.length > 2, 'abc')).toEqualTypeOf<Future<boolean>>();
    expectTypeOf(
      executor.submit(function (this: TaskContext, n: number) {
        return this.signal.aborted ? -1 : n;
      }, 1),
    ).toEqualTypeOf<Future<number>>();
    expectTypeOf(executor.submitWith({ timeout: 10 }, tasks.add, 1, 2)).toEqualTypeOf<Future<number>>();
  });

  it('rejects wrong arguments', () => {
    // @ts-expect-error a string is not a number
    executor.submit(tasks.square, 'three');
    // @ts-expect-error the argument is missing
    executor.submit(tasks.square);
    // @ts-expect-error one argument too many
    executor.submit(tasks.square, 1, 2);
    // @ts-expect-error the second argument must be a number
    executor.submit(tasks.add, 1, '2');
    // @ts-expect-error plain functions are checked too
    executor.submit((a: number) => a, 'a');
    // @ts-expect-error submitWith checks the same way
    executor.submitWith({}, tasks.greet, 5);
    // @ts-expect-error not a task
    executor.submit('square', 1);
  });
});

describe('map and starmap', () => {
  it('yield the result type', async () => {
    const squares = executor.map(tasks.square, [1, 2, 3]);
    expectTypeOf(squares).toEqualTypeOf<AsyncIterableIterator<number>>();
    for await (const value of squares) expectTypeOf(value).toEqualTypeOf<number>();

    async function* names(): AsyncGenerator<string> {
      yield 'a';
    }
    for await (const greeting of executor.map(tasks.greet, names(), { buffersize: 4 })) expectTypeOf(greeting).toEqualTypeOf<string>();

    const sums = executor.starmap(tasks.add, [
      [1, 2],
      [3, 4],
    ]);
    expectTypeOf(sums).toEqualTypeOf<AsyncIterableIterator<number>>();
    expectTypeOf(executor.starmap(tasks.greet, [['a'], ['b', '!']])).toEqualTypeOf<AsyncIterableIterator<string>>();
  });

  it('reject inputs of the wrong type', () => {
    // @ts-expect-error items must be numbers
    executor.map(tasks.square, ['a']);
    // @ts-expect-error starmap items must be argument tuples
    executor.starmap(tasks.add, [[1, 'b']]);
    // @ts-expect-error starmap items are tuples, not single values
    executor.starmap(tasks.add, [1, 2]);
  });
});

describe('Future, wait and asCompleted', () => {
  it('await future gives the result type', async () => {
    const future = executor.submit(tasks.square, 2);
    expectTypeOf(await future).toEqualTypeOf<number>();
    expectTypeOf(future.result()).toEqualTypeOf<Promise<number>>();
    expectTypeOf(future.exception()).toEqualTypeOf<Promise<unknown>>();
    future.addDoneCallback((f) => expectTypeOf(f).toEqualTypeOf<Future<number>>());
    expectTypeOf<Future<number>>().toExtend<Future<unknown>>();
    expectTypeOf<Future<number>>().toExtend<PromiseLike<number>>();
  });

  it('wait keeps the future type', async () => {
    const a = executor.submit(tasks.square, 2);
    const b = executor.submit(tasks.greet, 'x');
    const result = await wait([a, b]);
    expectTypeOf(result).toEqualTypeOf<WaitResult<Future<number> | Future<string>>>();
    expectTypeOf(result.done).toEqualTypeOf<Set<Future<number> | Future<string>>>();
    const { notDone } = await wait([a]);
    expectTypeOf(notDone).toEqualTypeOf<Set<Future<number>>>();
  });

  it('asCompleted yields futures (not results) of the same type', async () => {
    const futures = [executor.submit(tasks.square, 1), executor.submit(tasks.square, 2)];
    for await (const future of asCompleted(futures)) {
      expectTypeOf(future.result()).toEqualTypeOf<Promise<number>>();
      expectTypeOf(future.done()).toEqualTypeOf<boolean>();
      expectTypeOf(future).not.toEqualTypeOf<number>();
      future.addDoneCallback((f) => expectTypeOf(f).toEqualTypeOf<Future<number>>());
    }
  });
});
