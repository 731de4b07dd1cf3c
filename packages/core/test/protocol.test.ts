import { describe, expect, it } from 'vitest';
import { serialize } from 'node:v8';
import { batchLength, defineTasks, forEachOutcome, fromTaskOutcome, groupOutcomes, runTaskBatch, serializeError, toTaskBatch, type TaskCall, type TaskOutcome } from '../src/index.js';

const url = new URL('./fixtures/tasks.ts', import.meta.url).href;
const tasks = defineTasks<typeof import('./fixtures/tasks.js')>(url);

const call = (name: string, ...args: unknown[]): TaskCall => ({ module: url, name, args });

async function run(calls: readonly TaskCall[], hooks?: Parameters<typeof runTaskBatch>[2]): Promise<(readonly [number, TaskOutcome])[]> {
  const seen: (readonly [number, TaskOutcome])[] = [];
  await runTaskBatch(toTaskBatch(calls), (index, outcome) => seen.push([index, outcome]), hooks);
  return seen;
}

describe('toTaskBatch', () => {
  it('names a single task once, omits the per-call index, and sends lone arguments as one flat list', () => {
    const batch = toTaskBatch([call('square', 1), call('square', 2), call('square', 3)]);
    expect(batch).toEqual({ tasks: [[url, 'square']], arg: [1, 2, 3] });
    expect(batchLength(batch)).toBe(3);
    expect(JSON.stringify(batch).split(url).length - 1).toBe(1);
  });

  it('keeps an argument list per call when any call has another number of arguments', () => {
    const batch = toTaskBatch([call('square', 1), call('add', 2, 3), call('answer')]);
    expect(batch.arg).toBeUndefined();
    expect(batch.args).toEqual([[1], [2, 3], []]);
    expect(batchLength(batch)).toBe(3);
  });

  it('copies a flat argument list much smaller than a list per call', () => {
    const calls = Array.from({ length: 1000 }, (_, i) => call('square', i));
    const flat = serialize(toTaskBatch(calls)).length;
    const nested = serialize({ tasks: [[url, 'square']], args: calls.map((c) => c.args) }).length;
    expect(flat).toBeLessThan(nested * 0.75);
  });

  it('indexes the tasks of a mixed batch, each named once', () => {
    const calls = [call('square', 2), call('square', 3), call('add', 1, 2), call('square', 4), call('add', 5, 6)];
    const batch = toTaskBatch(calls);
    expect(batch.tasks).toEqual([[url, 'square'], [url, 'add']]);
    expect(batch.which).toEqual([0, 0, 1, 0, 1]);
    expect(batch.args).toEqual(calls.map((c) => c.args));
  });

  it('takes running tasks (task references) as well as calls', () => {
    const running = { task: tasks.add, args: [1, 2] } as unknown as Parameters<typeof toTaskBatch>[0][number];
    expect(toTaskBatch([running])).toEqual({ tasks: [[url, 'add']], args: [[1, 2]] });
  });

  it('refuses a plain function', () => {
    const running = { task: (x: number) => x, args: [1] } as unknown as Parameters<typeof toTaskBatch>[0][number];
    expect(() => toTaskBatch([running])).toThrow(new TypeError('only task references can be sent to a worker'));
  });
});

describe('runTaskBatch', () => {
  it('runs the calls in order, awaiting async tasks, and reports each outcome with its index', async () => {
    const seen = await run([call('square', 3), call('greet', 'ann', '?'), call('add', 2, 5)]);
    expect(seen).toEqual([
      [0, [true, 9]],
      [1, [true, 'hello ann?']],
      [2, [true, 7]],
    ]);
  });

  it('turns an error into data and goes on with the next call', async () => {
    const seen = await run([call('fail', 'boom'), call('square', 4), call('nope'), call('answer')]);
    expect(seen.map(([index, [ok]]) => [index, ok])).toEqual([
      [0, false],
      [1, true],
      [2, false],
      [3, false],
    ]);
    const [, [, error]] = seen[0] as readonly [number, readonly [false, { message: string }]];
    expect(error.message).toBe('boom');
    expect((seen[2]?.[1][1] as { message: string }).message).toMatch(/nope/);
    expect((seen[3]?.[1][1] as { message: string }).message).toMatch(/no exported function "answer" \(that export is number\)/);
  });

  it('passes arguments through prepareArgs (sync or async) and results through prepareResult', async () => {
    const seen = await run([call('add', 1, 2), call('square', 5)], {
      prepareArgs: (args) => (args.length === 2 ? Promise.resolve(args.map((x) => (x as number) * 10)) : args),
      prepareResult: (value) => ({ wrapped: value }),
    });
    expect(seen).toEqual([
      [0, [true, { wrapped: 30 }]],
      [1, [true, { wrapped: 25 }]],
    ]);
  });

  it('awaits beforeImport before the call and gives tasks the context as `this`', async () => {
    const imported: string[] = [];
    const signal = AbortSignal.abort();
    const seen = await run([call('aborted', 'x')], { beforeImport: async (module) => void imported.push(module), context: { signal } });
    expect(imported).toEqual([url]);
    expect(seen).toEqual([[0, [true, { label: 'x', aborted: true }]]]);
  });

  it('runs a flat-argument batch: every call gets its one argument', async () => {
    const seen: TaskOutcome[] = [];
    await runTaskBatch({ tasks: [[url, 'square']], arg: [2, 3, 4] }, (_i, outcome) => seen.push(outcome));
    expect(seen).toEqual([
      [true, 4],
      [true, 9],
      [true, 16],
    ]);
  });

  it('prepares each distinct task once per batch, and fails every call of a task that cannot load', async () => {
    const imported: string[] = [];
    const missing = new URL('./fixtures/no-such-module.js', import.meta.url).href;
    const seen: TaskOutcome[] = [];
    await runTaskBatch(
      { tasks: [[url, 'square'], [missing, 'x']], which: [0, 1, 0, 1, 0], args: [[1], [2], [3], [4], [5]] },
      (_i, outcome) => seen.push(outcome),
      { beforeImport: (module) => void imported.push(module) },
    );
    expect(imported).toEqual([url, missing]);
    expect(seen.map(([ok]) => ok)).toEqual([true, false, true, false, true]);
    expect((seen[3]?.[1] as { message: string }).message).toMatch(/could not load task module .*no-such-module/);
  });

  it('reports a batch whose call names no task as that call failing', async () => {
    const seen: TaskOutcome[] = [];
    await runTaskBatch({ tasks: [[url, 'square']], which: [0, 3], args: [[2], [3]] }, (_i, outcome) => seen.push(outcome));
    expect(seen[0]).toEqual([true, 4]);
    expect(seen[1]?.[0]).toBe(false);
    expect((seen[1]?.[1] as { message: string }).message).toBe('task batch: call 1 names no task');
  });
});

describe('groupOutcomes / forEachOutcome', () => {
  it('packs outcomes into one flat list with the failures marked, and unpacks them in order', () => {
    const error = serializeError(new Error('e'));
    const outcomes: TaskOutcome[] = [[true, 1], [false, error], [true, { a: 2 }], [true, undefined], [false, error]];
    const group = groupOutcomes(outcomes);
    expect(group).toEqual({ values: [1, error, { a: 2 }, undefined, error], failed: [1, 4] });
    const back: [number, TaskOutcome][] = [];
    forEachOutcome(group, (k, ok, value) => back.push([k, ok ? [true, value] : [false, value as typeof error]]));
    expect(back).toEqual(outcomes.map((outcome, k) => [k, outcome]));
  });

  it('leaves out the failure list when every call succeeded', () => {
    expect(groupOutcomes([[true, 1], [true, 2]])).toEqual({ values: [1, 2] });
  });
});

describe('fromTaskOutcome', () => {
  it('gives values and built-in errors synchronously', () => {
    expect(fromTaskOutcome([true, 5], url)).toEqual({ failed: false, value: 5 });
    const settled = fromTaskOutcome([false, serializeError(new RangeError('r'))], url);
    expect('then' in settled).toBe(false);
    expect((settled as { value: unknown }).value).toBeInstanceOf(RangeError);
  });

  it('rebuilds an error of a class the task module exports as that class', async () => {
    class Mine extends Error {}
    Object.defineProperty(Mine, 'name', { value: 'NotExported' });
    const error = new Mine('m');
    error.name = 'NotExported';
    const settled = await fromTaskOutcome([false, serializeError(error)], url);
    expect(settled.failed).toBe(true);
    expect((settled.value as Error).name).toBe('NotExported');
    expect((settled.value as Error).message).toBe('m');
  });
});
