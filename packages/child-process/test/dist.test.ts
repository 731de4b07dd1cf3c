// The built package, as users run it: plain Node.js (no vitest, no loader in the parent),
// child.js from dist, @futures/core from its dist, task modules in JavaScript or (through tsx,
// found automatically in the children) TypeScript. Also: a script exits by itself, and
// children die with their parent.
import { describe, expect, it } from 'vitest';
import { isAlive, runScript, startScript, until } from './helpers.js';

const dist = new URL('../dist/index.js', import.meta.url).href;
const jsTasks = new URL('./fixtures/plain-tasks.js', import.meta.url).href;
const tsTasks = new URL('./fixtures/tasks.ts', import.meta.url).href;
/** How TypeScript sources name a sibling module: `tasks.js` for `tasks.ts`. */
const tsTasksAsJs = new URL('./fixtures/tasks.js', import.meta.url).href;
const cwd = new URL('..', import.meta.url);

describe('the built package (dist/)', () => {
  it('runs JavaScript and TypeScript task modules in child processes', async () => {
    const output = await runScript(
      `
      const { ProcessPoolExecutor } = await import(${JSON.stringify(dist)});
      const { defineTasks } = await import('@futures/core');
      const js = defineTasks(${JSON.stringify(jsTasks)});
      const ts = defineTasks(${JSON.stringify(tsTasks)});
      const tsAsJs = defineTasks(${JSON.stringify(tsTasksAsJs)});
      const executor = new ProcessPoolExecutor({ maxWorkers: 2 });
      console.log(await executor.submit(js.cube, 3), await executor.submit(ts.square, 12), await executor.submit(tsAsJs.square, 5));
      await executor.shutdown();
    `,
      cwd,
    );
    expect(output.trim()).toBe('27 144 25');
  });

  it('a script that shuts its executor down exits by itself; so does one that forgets to', async () => {
    const output = await runScript(
      `
      const { ProcessPoolExecutor } = await import(${JSON.stringify(dist)});
      const { defineTasks } = await import('@futures/core');
      const tasks = defineTasks(${JSON.stringify(jsTasks)});
      const executor = new ProcessPoolExecutor({ maxWorkers: 2 });
      console.log(await executor.submit(tasks.cube, 2));
      await executor.shutdown();
      const forgotten = new ProcessPoolExecutor({ maxWorkers: 2 });
      console.log(await forgotten.submit(tasks.cube, 3)); // idle children do not hold the script open
    `,
      cwd,
    );
    expect(output.trim().split('\n')).toEqual(['8', '27']);
  });

  it('children exit when their parent is killed with SIGKILL', async () => {
    const parent = startScript(
      `
      const { ProcessPoolExecutor } = await import(${JSON.stringify(dist)});
      const { defineTasks } = await import('@futures/core');
      const tasks = defineTasks(${JSON.stringify(jsTasks)});
      const executor = new ProcessPoolExecutor({ maxWorkers: 2 });
      const pids = await Promise.all([executor.submit(tasks.pid), executor.submit(tasks.pid)]);
      console.log(JSON.stringify(pids));
      setInterval(() => undefined, 1000); // stays alive until killed
    `,
      cwd,
    );
    let text = '';
    parent.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
    await until(() => text.includes(']'), 20_000);
    const pids = JSON.parse(text) as number[];
    expect(pids.every(isAlive)).toBe(true);
    parent.kill('SIGKILL');
    await until(() => pids.every((pid) => !isAlive(pid)), 10_000);
  });
});
