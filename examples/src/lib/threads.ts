/**
 * Helpers for the examples that run tasks in worker threads (`ThreadPoolExecutor`): how a
 * thread "prints" (through a shared `Queue` that the main thread logs).
 */
import { Queue } from '@futures/worker-threads';
import type { Log } from './support.ts';

/** What worker threads print: see {@link threadConsole}. */
export interface ThreadConsole {
  /** Pass it to the tasks; a task prints a line with `out.putSync(line)`. */
  readonly out: Queue<string>;
  /**
   * Prints a line from the main thread through the same queue, so that it comes after every
   * line the threads put before (e.g. after the lines of the tasks it has awaited). Async: the
   * main thread uses the queue's async `put`.
   */
  print(line: string): Promise<void>;
  /** Every line received so far, in the order the threads put them. */
  readonly lines: string[];
  /** Closes the queue, waits until every line put before has been logged, and returns them all. */
  close(): Promise<string[]>;
}

/**
 * A console for tasks in worker threads: they put their lines into a shared `Queue`, and the
 * main thread logs them as they arrive, through the example's `log` (so that the tests see them
 * too). Lines of one thread keep their order; lines of several threads interleave as they ran.
 * The main thread prints through it too (`print`), so its lines take their place among them.
 */
export function threadConsole(log: Log): ThreadConsole {
  const out = new Queue<string>();
  const lines: string[] = [];
  const draining = (async () => {
    for await (const line of out) {
      lines.push(line);
      log(line);
    }
  })();
  return {
    out,
    lines,
    print: (line) => out.put(line),
    async close() {
      out.close();
      await draining;
      return lines;
    },
  };
}
