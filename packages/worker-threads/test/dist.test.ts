// The built package, as users run it: plain Node.js (no vitest, no loader in the main thread),
// worker.js from dist, @futures/core from its dist, task modules in JavaScript or (through tsx,
// found automatically in the threads) TypeScript.
import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const dist = new URL('../dist/index.js', import.meta.url).href;
const jsTasks = new URL('./fixtures/plain-tasks.js', import.meta.url).href;
const tsTasks = new URL('./fixtures/tasks.ts', import.meta.url).href;
/** How TypeScript sources name a sibling module: `tasks.js` for `tasks.ts`. */
const tsTasksAsJs = new URL('./fixtures/tasks.js', import.meta.url).href;

/** Runs an ES module script with plain node in this package's directory; resolves its stdout. */
function runScript(script: string, nodeOptions: readonly string[] = []): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [...nodeOptions, '--input-type=module', '-e', script], { cwd: new URL('..', import.meta.url), timeout: 30_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
    );
  });
}

describe('the built package (dist/)', () => {
  it('runs JavaScript and TypeScript task modules in threads', async () => {
    const output = await runScript(`
      const { ThreadPoolExecutor } = await import(${JSON.stringify(dist)});
      const { defineTasks } = await import('@futures/core');
      const js = defineTasks(${JSON.stringify(jsTasks)});
      const ts = defineTasks(${JSON.stringify(tsTasks)});
      const tsAsJs = defineTasks(${JSON.stringify(tsTasksAsJs)});
      const executor = new ThreadPoolExecutor({ maxWorkers: 2 });
      console.log(await executor.submit(js.cube, 3), await executor.submit(ts.square, 12), await executor.submit(tsAsJs.square, 5));
      await executor.shutdown();
    `);
    expect(output.trim()).toBe('27 144 25');
  });

  it('a script that shuts its executor down exits by itself (no live handles)', async () => {
    const output = await runScript(`
      const { ThreadPoolExecutor } = await import(${JSON.stringify(dist)});
      const { defineTasks } = await import('@futures/core');
      const tasks = defineTasks(${JSON.stringify(jsTasks)});
      const executor = new ThreadPoolExecutor({ maxWorkers: 2, minWorkers: 2, idleTimeout: 60000 });
      console.log(await executor.submit(tasks.cube, 2));
      await executor.shutdown();
    `);
    expect(output.trim()).toBe('8');
  });

  it('runs under Node options that threads refuse (--expose-gc, --max-old-space-size, --title): they are not passed on', async () => {
    const output = await runScript(
      `
      const { ThreadPoolExecutor } = await import(${JSON.stringify(dist)});
      const { defineTasks } = await import('@futures/core');
      const tasks = defineTasks(${JSON.stringify(jsTasks)});
      const executor = new ThreadPoolExecutor({ maxWorkers: 1 });
      console.log(await executor.submit(tasks.cube, 4), typeof gc, process.title);
      await executor.shutdown();
    `,
      ['--expose-gc', '--max-old-space-size=300', '--title', 'futures-dist-test', '--no-warnings'],
    );
    expect(output.trim()).toBe('64 function futures-dist-test');
  });
});
