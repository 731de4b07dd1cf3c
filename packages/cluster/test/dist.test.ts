// The built package from plain Node.js: cluster workers run dist/pool/child.js of
// @futures/child-process, and a script that shuts its executor down exits by itself.
import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const dist = new URL('../dist/index.js', import.meta.url).href;
const jsTasks = new URL('../../child-process/test/fixtures/plain-tasks.js', import.meta.url).href;

describe('the built package (dist/)', () => {
  it('runs tasks in cluster workers and exits by itself after shutdown, leaving no worker', async () => {
    const output = await new Promise<string>((resolve, reject) => {
      const script = `
        const cluster = (await import('node:cluster')).default;
        const { ClusterExecutor } = await import(${JSON.stringify(dist)});
        const { defineTasks } = await import('@futures/core');
        const tasks = defineTasks(${JSON.stringify(jsTasks)});
        const executor = new ClusterExecutor({ maxWorkers: 2 });
        console.log(await executor.submit(tasks.cube, 4));
        await executor.shutdown();
        console.log(Object.keys(cluster.workers).length);
      `;
      execFile(process.execPath, ['--input-type=module', '-e', script], { cwd: new URL('..', import.meta.url), timeout: 30_000 }, (error, stdout, stderr) =>
        error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
      );
    });
    expect(output.trim().split('\n')).toEqual(['64', '0']);
  });
});
