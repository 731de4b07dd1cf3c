/**
 * Results sent back through a queue by separate processes.
 *
 * Ports "Concurrency in Python" (Ryusei Kakujo, seed 003_4d0fb0a1a08e26dd), section
 * "The Multiprocessing Module: Inter-Process Communication":
 *
 *     def square(x, output_queue):
 *         output_queue.put(x * x)
 *
 *     input_data = [1, 2, 3, 4, 5]
 *     output_queue = multiprocessing.Queue()
 *     processes = [multiprocessing.Process(target=square, args=(i, output_queue)) for i in input_data]
 *     ... start all, join all ...
 *     while not output_queue.empty():
 *         print(f"Squared value: {output_queue.get()}")
 *
 * The queue is a `Manager` queue: it lives in the parent, children `put` over IPC, the parent
 * `get`s. As in Python, the order is the order in which the processes finished.
 */
import { defineTasks } from '@futures/core';
import { Manager, ProcessPoolExecutor } from '@futures/child-process';
import { isEntryPoint, type Log } from './lib/support.ts';

const tasks = defineTasks<typeof import('./tasks/processes.js')>(new URL('./tasks/processes.js', import.meta.url));

export async function main(log: Log = console.log): Promise<{ readonly squares: number[] }> {
  const inputData = [1, 2, 3, 4, 5];
  await using executor = new ProcessPoolExecutor({ maxWorkers: 5 });
  using manager = new Manager();
  const outputQueue = manager.Queue<number>();
  await Promise.all(inputData.map((i) => executor.submit(tasks.squareToQueue, i, outputQueue)));
  const squares: number[] = [];
  while (!(await outputQueue.empty())) {
    const value = await outputQueue.get();
    squares.push(value);
    log(`Squared value: ${value}`);
  }
  return { squares };
}

if (isEntryPoint(import.meta.url)) await main();
