/**
 * Squares printed by five separate processes.
 *
 * Ports "Concurrency in Python" (Ryusei Kakujo, seed 003_4d0fb0a1a08e26dd), section
 * "The Multiprocessing Module: Creating Processes":
 *
 *     def square(x):
 *         print(f"{x} squared is {x*x}")
 *
 *     processes = [multiprocessing.Process(target=square, args=(i,)) for i in range(5)]
 *     ... start all, join all ...
 *     print("All processes are done.")
 *
 * `multiprocessing.Process` per call becomes a `ProcessPoolExecutor` with five child
 * processes; start + join is submit + await. Each task returns its line and its pid, so the
 * example shows that five processes, none of them this one, did the work.
 */
import { defineTasks } from '@futures/core';
import { ProcessPoolExecutor } from '@futures/child-process';
import { isEntryPoint, type Log } from './lib/support.ts';

const tasks = defineTasks<typeof import('./tasks/processes.js')>(new URL('./tasks/processes.js', import.meta.url));

export interface ProcessSquaresResult {
  readonly lines: string[];
  /** The pids of the processes that ran the tasks. */
  readonly pids: number[];
}

export async function main(log: Log = console.log): Promise<ProcessSquaresResult> {
  await using executor = new ProcessPoolExecutor({ maxWorkers: 5 });
  const futures = Array.from({ length: 5 }, (_, i) => executor.submit(tasks.squareLine, i)); // start
  const done = await Promise.all(futures); // join
  for (const { line } of done) log(line);
  log('All processes are done.');
  return { lines: done.map((d) => d.line), pids: done.map((d) => d.pid) };
}

if (isEntryPoint(import.meta.url)) await main();
