/**
 * A background ("daemon") thread that ends when the main program is done with it.
 *
 * Ports "Concurrency in Python" (Ryusei Kakujo, seed 003_4d0fb0a1a08e26dd), section
 * "The Threading Module: Daemon Threads":
 *
 *     daemon_thread = threading.Thread(target=some_function, daemon=True)
 *     daemon_thread.start()
 *
 * "Daemon threads are background threads that automatically terminate when the main program
 * exits." The tutorial never defines `some_function`; here it is a heartbeat that loops forever
 * in a worker thread, counting beats in a shared `Value`. A `ThreadPoolExecutor` waits for its
 * running tasks when it shuts down, so an endless task is submitted with an `AbortSignal`:
 * aborting it stops the thread running it (`capabilities.stopRunning === 'forced'`), and its
 * future fails with the abort reason. That is the daemon's end, made explicit: the main program
 * works, then aborts the heartbeat on its way out, and the beats stop.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { defineTasks } from '@futures/core';
import { Event, ThreadPoolExecutor, Value } from '@futures/worker-threads';
import { isEntryPoint, type Log } from './lib/support.ts';

const tasks = defineTasks<typeof import('./tasks/daemon.js')>(new URL('./tasks/daemon.js', import.meta.url));

export interface DaemonThreadResult {
  /** Heartbeats counted when the main program stopped the daemon (at least 1). */
  readonly beatsAtExit: number;
  /** Heartbeats counted a while after: the same number, since the thread is gone. */
  readonly beatsLater: number;
  /** What the daemon's future failed with: the abort reason. */
  readonly error: unknown;
  /** How the executor stops running tasks: `'forced'` (it stops the thread). */
  readonly stopRunning: string;
}

export async function main(log: Log = console.log): Promise<DaemonThreadResult> {
  await using executor = new ThreadPoolExecutor({ maxWorkers: 1 });
  const beats = new Value('i', 0, { lock: false });
  const alive = new Event();
  const exit = new AbortController();

  // daemon_thread.start()
  const daemonThread = executor.submitWith({ signal: exit.signal }, tasks.heartbeat, beats, alive, 10);
  if (!(await alive.wait({ timeout: 10_000 }))) throw new Error('the daemon thread never started');
  log('Daemon thread started: it beats every 10 ms in the background');

  log('Main program working...');
  await sleep(100);
  log(`Main program done (the daemon has beaten ${beats.value} times so far); exiting`);

  // The program exits: the daemon thread is stopped, wherever it was.
  exit.abort(new Error('the main program exited'));
  const error = await daemonThread.exception();
  const beatsAtExit = beats.value;
  await sleep(50);
  const beatsLater = beats.value;
  log(`Daemon thread stopped: ${(error as Error).message}; beats ${beatsAtExit}, and 50 ms later still ${beatsLater}`);
  return { beatsAtExit, beatsLater, error, stopRunning: executor.capabilities.stopRunning };
}

if (isEntryPoint(import.meta.url)) await main();
