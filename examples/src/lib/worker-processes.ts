/**
 * Starts worker processes for the distributed example: each runs `worker-process.ts` (a
 * `startWorker` of @futures/bullmq) against the same Redis and queue, and they share its jobs.
 * They are plain child processes of this one here; on other machines they would be the same
 * script (or `futures worker` of @futures/cli) pointed at the same Redis.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** One started worker process. */
export interface WorkerProcess {
  /** 1, 2, 3, ... in start order. */
  readonly index: number;
  readonly pid: number;
}

/** Running worker processes: `close()` (or `await using`) stops them all. */
export interface WorkerProcesses extends AsyncDisposable {
  readonly processes: readonly WorkerProcess[];
  /**
   * Asks each to stop (it finishes its running jobs), waits for them to exit (SIGKILL after
   * `graceMs`), and resolves with their exit codes. Idempotent.
   */
  close(graceMs?: number): Promise<(number | null)[]>;
}

/** Options of {@link startWorkerProcesses}. */
export interface WorkerProcessOptions {
  /** The Redis URL. */
  readonly connection: string;
  readonly queue: string;
  /** The directory (a file URL ending in `/`) whose task modules the workers may import. */
  readonly allow: string;
  /** Jobs each process runs at once. */
  readonly concurrency: number;
  /** How long to wait for each to be taking jobs, in ms. @default 20_000 */
  readonly startTimeout?: number | undefined;
}

const script = fileURLToPath(new URL('./worker-process.ts', import.meta.url));

/**
 * How the children load TypeScript: tsx, and the `@futures/source` condition when this process
 * runs @futures from its sources (the tests), so that they load the same code; the built
 * packages otherwise (`npx tsx`, the demo).
 */
function childExecArgv(): string[] {
  const fromSources = import.meta.resolve('@futures/bullmq').endsWith('.ts');
  return ['--import', import.meta.resolve('tsx'), ...(fromSources ? ['--conditions=@futures/source'] : [])];
}

/** Starts `count` worker processes and resolves once every one takes jobs; if one cannot start, stops the others and rejects. */
export async function startWorkerProcesses(count: number, options: WorkerProcessOptions): Promise<WorkerProcesses> {
  const children: ChildProcess[] = [];
  const exits = new Map<ChildProcess, Promise<number | null>>();
  let closing: Promise<(number | null)[]> | undefined;
  const close = (graceMs = 10_000): Promise<(number | null)[]> =>
    (closing ??= Promise.all(
      children.map(async (child) => {
        const exited = exits.get(child) as Promise<number | null>;
        if (child.connected) child.send('close');
        else if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        try {
          return await exited;
        } finally {
          clearTimeout(timer);
        }
      }),
    ));

  const start = (): Promise<WorkerProcess> => {
    const child = fork(script, [options.connection, options.queue, options.allow, String(options.concurrency)], {
      execArgv: childExecArgv(),
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    children.push(child);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    exits.set(child, exited);
    const index = children.length;
    return new Promise<WorkerProcess>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`worker process ${index} (pid ${child.pid}) was not taking jobs after ${options.startTimeout ?? 20_000} ms`)), options.startTimeout ?? 20_000);
      child.once('message', (message: { ready?: number; error?: string }) => {
        clearTimeout(timer);
        if (typeof message.ready === 'number') resolve({ index, pid: message.ready });
        else reject(new Error(`worker process ${index} could not start: ${message.error ?? JSON.stringify(message)}`));
      });
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`worker process ${index} exited with code ${code} before taking jobs`));
      });
    });
  };

  let processes: WorkerProcess[];
  try {
    processes = await Promise.all(Array.from({ length: count }, () => start()));
  } catch (error) {
    await close(2_000);
    throw error;
  }
  return { processes, close, [Symbol.asyncDispose]: async () => void (await close()) };
}
