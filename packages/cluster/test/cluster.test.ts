import cluster from 'node:cluster';
import { createServer } from 'node:net';
import { WorkerCrashedError, defineTasks } from '@futures/core';
import { describe, expect, it } from 'vitest';
import { ClusterExecutor, Manager } from '../src/index.js';

const tasks = defineTasks<typeof import('./fixtures/tasks.js')>(new URL('./fixtures/tasks.ts', import.meta.url));

/** A free TCP port on 127.0.0.1. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('ClusterExecutor', () => {
  it('validates its options with the same messages as every process pool', () => {
    expect(() => new ClusterExecutor({ maxWorkers: 0 })).toThrow('maxWorkers must be >= 1, got 0');
    expect(() => new ClusterExecutor({ workers: 2 } as never)).toThrow('new ClusterExecutor(): unknown option "workers"');
  });

  it('runs tasks in cluster workers (cluster.workers, cluster.isWorker), with env added to the primary\'s', async () => {
    await using executor = new ClusterExecutor({ maxWorkers: 2, env: { FUTURES_CLUSTER: 'on' } });
    const who = await Promise.all(Array.from({ length: 4 }, () => executor.submit(tasks.whoAmI, 100)));
    expect(who.every((w) => w.isWorker && w.pid !== process.pid)).toBe(true);
    expect(new Set(who.map((w) => w.pid)).size).toBe(2);
    const clusterPids = Object.values(cluster.workers ?? {}).map((worker) => worker?.process.pid);
    for (const { pid } of who) expect(clusterPids).toContain(pid);
    expect(await executor.submit(tasks.env, 'FUTURES_CLUSTER')).toBe('on');
    expect(await executor.submit(tasks.env, 'PATH')).toBe(process.env.PATH);
  });

  it('workers share a server port opened by the initializer, and answer requests between tasks', async () => {
    const port = await freePort();
    await using executor = new ClusterExecutor({ maxWorkers: 2, initializer: tasks.listen, initArgs: [port] });
    const pids = new Set((await Promise.all([executor.submit(tasks.whoAmI, 200), executor.submit(tasks.whoAmI, 200)])).map((w) => w.pid));
    const answers = new Set<number>();
    for (let i = 0; i < 8; i++) answers.add(Number(await (await fetch(`http://127.0.0.1:${port}/`)).text()));
    for (const pid of answers) expect(pids).toContain(pid);
  });

  it('a worker killed by a signal fails only its task, naming the signal; it is replaced', async () => {
    await using executor = new ClusterExecutor({ maxWorkers: 1 });
    const error = await executor.submit(tasks.killSelf, 'SIGKILL').exception();
    expect(error).toBeInstanceOf(WorkerCrashedError);
    expect(error).toMatchObject({ signal: 'SIGKILL' });
    expect((error as Error).message).toMatch(/cluster worker worker 1 \(pid \d+\) running task killSelf was killed by signal SIGKILL/);
    expect(await executor.submit(tasks.square, 5)).toBe(25);
  });

  it("leaves the primary's cluster settings as they were, and no worker after shutdown", async () => {
    cluster.setupPrimary({ exec: '/app/worker.js', args: ['--app'] });
    const before = { ...cluster.settings };
    const executor = new ClusterExecutor({ maxWorkers: 2 });
    await Promise.all([executor.submit(tasks.square, 2), executor.submit(tasks.square, 3)]);
    expect(cluster.settings).toEqual(before);
    await executor.shutdown();
    expect(Object.keys(cluster.workers ?? {})).toEqual([]);
  });

  it('Manager objects work from cluster workers too', async () => {
    await using executor = new ClusterExecutor({ maxWorkers: 2 });
    using manager = new Manager();
    const total = manager.Value(0);
    const tasksWithValue = defineTasks<typeof import('../../child-process/test/fixtures/tasks.js')>(new URL('../../child-process/test/fixtures/tasks.ts', import.meta.url));
    await Promise.all(Array.from({ length: 10 }, () => executor.submit(tasksWithValue.nestedHandles, { counter: total })));
    expect(await total.get()).toBe(50);
  });
});
