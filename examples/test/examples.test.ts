/**
 * Runs every example's `main` with a captured log and checks what it computed: values, order
 * where the example defines one, errors caught. Never timings (they depend on the machine).
 */
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { format, promisify } from 'node:util';
import { TimeoutError } from '@futures/core';
import { describe, expect, it } from 'vitest';
import { EXAMPLES } from '../src/catalog.ts';
import { main as apiFetch } from '../src/api-fetch.ts';
import { main as asCompleted } from '../src/as-completed.ts';
import { main as countUpDown } from '../src/count-up-down.ts';
import { main as daemonThread } from '../src/daemon-thread.ts';
import { main as doneThenResult } from '../src/done-then-result.ts';
import { main as downloadSites } from '../src/download-sites.ts';
import { ValueError, main as errorHandling } from '../src/error-handling.ts';
import { main as factorials } from '../src/factorials.ts';
import { main as numbersAndLetters } from '../src/numbers-and-letters.ts';
import { main as numbersAndLettersThreads } from '../src/numbers-and-letters-threads.ts';
import { main as poolSubmitMap } from '../src/pool-submit-map.ts';
import { main as queueWorker } from '../src/queue-worker.ts';
import { main as sequentialVsConcurrent } from '../src/sequential-vs-concurrent.ts';
import { main as sharedArraySquares } from '../src/shared-array-squares.ts';
import { main as sharedCounter } from '../src/shared-counter.ts';
import { main as sharedCounterThreads } from '../src/shared-counter-threads.ts';
import { main as slowTask } from '../src/slow-task.ts';
import { main as squaresAsCompleted } from '../src/squares-as-completed.ts';
import { main as squaresMap } from '../src/squares-map.ts';
import { main as processSquares } from '../src/process-squares.ts';
import { main as processSharedCounter } from '../src/process-shared-counter.ts';
import { main as processQueue } from '../src/process-queue.ts';
import { main as processPoolMap } from '../src/process-pool-map.ts';
import { main as processFactorials } from '../src/process-factorials.ts';

const srcDir = fileURLToPath(new URL('../src/', import.meta.url));

/** 1..n. */
const upTo = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

/** A `log` that keeps the printed lines. */
function capture(): { log: (...args: unknown[]) => void; lines: string[] } {
  const lines: string[] = [];
  return { log: (...args: unknown[]) => lines.push(format(...args)), lines };
}

describe('seed 000: Futures, Threads, and Processes', () => {
  it('slow-task: submit, then future.result()', async () => {
    const { log, lines } = capture();
    const { result } = await slowTask(log);
    expect(result).toBe('Task completed: Hello, World!');
    expect(lines).toEqual(['Task completed: Hello, World!']);
  });

  it('count-up-down: both counters run at once, each in its own order', async () => {
    const { log, lines } = capture();
    const result = await countUpDown(log);
    expect(result.lines).toEqual(lines);
    expect(lines.filter((line) => line.startsWith('Counting up'))).toEqual([0, 1, 2, 3, 4].map((i) => `Counting up: ${i}`));
    expect(lines.filter((line) => line.startsWith('Counting down'))).toEqual([5, 4, 3, 2, 1, 0].map((i) => `Counting down: ${i}`));
    // Interleaved: each counter started before the other one finished.
    expect(lines.indexOf('Counting down: 5')).toBeLessThan(lines.indexOf('Counting up: 4'));
    expect(lines.indexOf('Counting up: 0')).toBeLessThan(lines.indexOf('Counting down: 0'));
    expect(lines.at(-1)).toBe('Main thread exiting...');
    expect(lines).toHaveLength(12);
  });

  it('shared-array-squares: tasks in threads write into the SharedArray; a plain array is only copied', async () => {
    const { log, lines } = capture();
    const result = await sharedArraySquares(log);
    expect(result.result).toEqual([1, 4, 9, 16, 25]);
    expect(result.onePerTask).toEqual([1, 4, 9, 16, 25]);
    expect(result.threadIds).toHaveLength(5);
    for (const id of result.threadIds) expect(id).toBeGreaterThan(0); // worker threads, not the main thread (0)
    expect(result.plainAfter).toEqual([0, 0, 0, 0, 0]);
    expect(result.plainReturned).toEqual([1, 4, 9, 16, 25]);
    expect(lines[0]).toBe('[1, 4, 9, 16, 25]');
    expect(lines).toHaveLength(3);
  });
});

describe("seed 001: concurrent.futures, a hilariously efficient guide", () => {
  it('sequential-vs-concurrent: every way runs both tasks; map yields in input order', async () => {
    const { log, lines } = capture();
    const result = await sequentialVsConcurrent(log);
    expect(result.calls).toBe(6);
    expect(result.mapResults).toEqual(['Done Sleeping...100', 'Done Sleeping...100']);
    expect(lines.filter((line) => line === 'Sleeping for 100 ms...')).toHaveLength(6);
    expect(lines.filter((line) => /^Finished in [\d.]+ second\(s\)$/.test(line))).toHaveLength(3);
  });

  it('as-completed: yields in completion order', async () => {
    const { log, lines } = capture();
    const { completionOrder } = await asCompleted(log);
    // Two workers: 200 ends before 250; 150 and 100 end together (either order); 50 starts last.
    expect(completionOrder.slice(0, 2)).toEqual(['Done Sleeping...200', 'Done Sleeping...250']);
    expect(new Set(completionOrder.slice(2, 4))).toEqual(new Set(['Done Sleeping...150', 'Done Sleeping...100']));
    expect(completionOrder[4]).toBe('Done Sleeping...50');
    expect(lines.filter((line) => line.startsWith('Done Sleeping'))).toEqual(completionOrder);
    // Two slots: the third task starts only after the first one finished.
    expect(lines.indexOf('Sleeping for 150 ms...')).toBeGreaterThan(lines.indexOf('Sleeping for 200 ms...'));
    expect(lines.indexOf('Sleeping for 150 ms...')).toBeLessThan(lines.indexOf('Sleeping for 100 ms...'));
  });

  it('factorials: 1000!, 10000!, 100000! and 1000000! computed in threads, each checked', async () => {
    const { log, lines } = capture();
    const result = await factorials(log);
    expect(result.numbers).toEqual([1000, 10_000, 100_000, 1_000_000]);
    // The expected values come from Python: math.factorial(n), len(str(...)), % 16777213, and
    // the number of trailing zero bits.
    expect(result.summaries).toEqual([
      { n: 1000, digits: 2568, scientific: '4.02387e+2567', mod: 6_785_283, twos: 994, verified: true },
      { n: 10_000, digits: 35_660, scientific: '2.84626e+35659', mod: 9_678_974, twos: 9995, verified: true },
      { n: 100_000, digits: 456_574, scientific: '2.82423e+456573', mod: 1_751_843, twos: 99_994, verified: true },
      { n: 1_000_000, digits: 5_565_709, scientific: '8.26393e+5565708', mod: 14_398_719, twos: 999_993, verified: true },
    ]);
    // The two smaller ones exactly, against a plain loop; 1000! also against its known digits.
    for (const [i, n] of [1000, 10_000].entries()) {
      let expected = 1n;
      for (let k = 2n; k <= BigInt(n); k++) expected *= k;
      expect(result.factorials[i] === expected, `${n}!`).toBe(true);
    }
    expect(result.factorials[0]?.toString().slice(0, 30)).toBe('402387260077093773543702433923');
    // Every task printed from its thread, before its result; the results come in input order.
    for (const n of result.numbers) {
      const calculating = lines.findIndex((line) => line.startsWith(`Calculating factorial of ${n}... (thread `));
      const done = lines.findIndex((line) => line.startsWith(`Factorial of ${n} is `));
      expect(calculating, `${n}`).toBeGreaterThanOrEqual(0);
      expect(done).toBeGreaterThan(calculating);
    }
    expect(lines.filter((line) => line.startsWith('Final Result: '))).toEqual(
      result.summaries.map((s) => `Final Result: ${s.scientific} (${s.n}!, ${s.digits.toLocaleString('en-US')} digits; checked)`),
    );
    expect(lines).toEqual(result.lines);
    expect(result.timerTicks).toBeGreaterThan(0); // the main thread was not blocked
  });

  it('error-handling: the failing task is carried by its future; the others succeed', async () => {
    const { log, lines } = capture();
    const { outcomes, exceptions } = await errorHandling(log);
    expect(outcomes.map((outcome) => outcome.input)).toEqual([5, 2, 0, 1]);
    expect(outcomes[0]).toEqual({ input: 5, result: 2 });
    expect(outcomes[1]).toEqual({ input: 2, result: 5 });
    expect(outcomes[3]).toEqual({ input: 1, result: 10 });
    const failed = outcomes[2];
    expect(failed !== undefined && 'error' in failed).toBe(true);
    const error = (failed as { error: unknown }).error;
    expect(error).toBeInstanceOf(ValueError);
    expect((error as Error).message).toBe('Cannot divide by zero!');
    // future.exception() gives the very same error object, and undefined for the others.
    expect(exceptions).toEqual([undefined, undefined, error, undefined]);
    expect(exceptions[2]).toBe(error);
    expect(lines.slice(0, 4)).toEqual(['Result: 2', 'Result: 5', 'Error: Cannot divide by zero!', 'Result: 10']);
    expect(lines[6]).toBe('riskyFunction(0): raised ValueError: Cannot divide by zero!');
  });

  it('download-sites: every page downloaded from the local server, sizes in input order', async () => {
    const { log, lines } = capture();
    const { urls, sizes, maxInFlight } = await downloadSites(log);
    expect(urls).toHaveLength(5);
    for (const url of urls) expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/www\.\w+\.com$/);
    expect(sizes).toEqual([1000, 2000, 3000, 4000, 5000]);
    expect(maxInFlight).toBeGreaterThan(1); // the downloads overlapped
    for (const [i, url] of urls.entries()) {
      expect(lines).toContain(`Downloading ${url}...`);
      expect(lines).toContain(`Downloaded ${url}: ${(i + 1) * 1000} bytes`);
    }
  });
});

describe('seed 002: Python module concurrent.futures (Scaler)', () => {
  it('pool-submit-map: submit and starmap on one pool', async () => {
    const { log } = capture();
    expect(await poolSubmitMap(log)).toEqual({ submitted: 1024, mapped: [32, 243, 1024] });
  });

  it('done-then-result: not done, a bounded wait times out, then the result', async () => {
    const { log, lines } = capture();
    const result = await doneThenResult(log);
    expect(result.doneBefore).toBe(false);
    expect(result.earlyWaitError).toBeInstanceOf(TimeoutError);
    expect(result.result).toBe('Work completed after 200 ms');
    expect(result.doneAfter).toBe(true);
    expect(lines[0]).toBe('future.done(): false');
    expect(lines.at(-1)).toBe('future.done(): true');
  });

  it('api-fetch: one at a time and all at once give the same items in order', async () => {
    const { log } = capture();
    const { sequential, concurrent, maxInFlight } = await apiFetch(log);
    const expected = [1, 2, 3, 4, 5, 6].map((id) => ({ id, title: `item number ${id}` }));
    expect(sequential).toEqual(expected);
    expect(concurrent).toEqual(expected);
    expect(maxInFlight).toBeGreaterThan(1);
  });
});

describe('seed 003: Concurrency in Python (Kakujo)', () => {
  it('numbers-and-letters: tasks that never wait run one after the other', async () => {
    const { log, lines } = capture();
    await numbersAndLetters(log);
    expect(lines).toEqual([
      ...[1, 2, 3, 4, 5].map((i) => `Number: ${i}`),
      ...'abcde'.split('').map((letter) => `Letter: ${letter}`),
      'All threads are done.',
    ]);
  });

  it('numbers-and-letters-threads: two worker threads, running at the same time, each printing in order', async () => {
    const { log, lines } = capture();
    const result = await numbersAndLettersThreads(log);
    expect(result.overlapped).toBe(true);
    expect(result.mainThread).toBe(0);
    expect(result.numbersThread).toBeGreaterThan(0);
    expect(result.lettersThread).toBeGreaterThan(0);
    expect(result.numbersThread).not.toBe(result.lettersThread);
    expect(lines.filter((line) => line.startsWith('Number: '))).toEqual(upTo(5).map((i) => `Number: ${i}`));
    expect(lines.filter((line) => line.startsWith('Letter: '))).toEqual([...'abcde'].map((letter) => `Letter: ${letter}`));
    expect(lines).toHaveLength(12);
    expect(lines[10]).toBe('All threads are done.');
    expect(lines[11]).toBe(
      `print_numbers ran in worker thread ${result.numbersThread}, print_letters in worker thread ${result.lettersThread}; this is thread 0`,
    );
    expect(lines).toEqual(result.lines);
  });

  it('shared-counter: 100 without a lock, lost updates across an await, 100 with a lock', async () => {
    const { log, lines } = capture();
    const { plain, racy, locked } = await sharedCounter(log);
    expect(plain).toBe(100);
    expect(racy).toBeGreaterThanOrEqual(1);
    expect(racy).toBeLessThan(100);
    expect(locked).toBe(100);
    expect(lines[0]).toBe('Counter value: 100');
  });

  it('shared-counter-threads: exactly 100 with the Lock, 100 with atomic adds, 1 when two threads both read first', async () => {
    const { log, lines } = capture();
    expect(await sharedCounterThreads(log)).toEqual({ locked: 100, atomic: 100, unlocked: 1, lockFreeAtEnd: true });
    expect(lines[0]).toBe('Counter value: 100');
    expect(lines).toHaveLength(3);
  });

  it('daemon-thread: the endless task is stopped with its thread when the program is done', async () => {
    const { log, lines } = capture();
    const result = await daemonThread(log);
    expect(result.stopRunning).toBe('forced');
    expect(result.beatsAtExit).toBeGreaterThanOrEqual(1);
    expect(result.beatsLater).toBe(result.beatsAtExit); // no beat after the stop
    expect(result.error).toBeInstanceOf(Error);
    expect((result.error as Error).message).toBe('the main program exited');
    expect(lines[0]).toBe('Daemon thread started: it beats every 10 ms in the background');
    expect(lines.at(-1)).toMatch(/^Daemon thread stopped: the main program exited; beats (\d+), and 50 ms later still \1$/);
  });

  it('queue-worker: the worker processes 0..9 then stops at the sentinel; three workers share 12 items', async () => {
    const { log, lines } = capture();
    const result = await queueWorker(log);
    expect(result.processed).toEqual(upTo(10).map((i) => i - 1));
    const tutorialLines = upTo(10).map((i) => `Processing: ${i - 1}`);
    expect(lines.slice(0, 11)).toEqual([...tutorialLines, 'work_queue.join() returned: every item is done']);
    // Part 2: every item processed exactly once, each worker in queue order.
    expect(result.produced).toBe(12);
    expect(result.perWorker).toHaveLength(3);
    expect(result.perWorker.flat().sort((a, b) => a - b)).toEqual(upTo(12).map((i) => i - 1));
    for (const items of result.perWorker) expect(items).toEqual([...items].sort((a, b) => a - b));
    expect(lines.filter((line) => / got the sentinel and stops$/.test(line))).toHaveLength(3);
    expect(lines).toContain('Producer put 12 items and 3 sentinels');
    expect(lines.slice(-3)).toEqual(result.perWorker.map((items, i) => `Worker ${i + 1} processed ${JSON.stringify(items)}`));
    expect(lines).toEqual(result.lines);
  });

  it('squares-map: squares of 1..5 in input order, through a task reference', async () => {
    const { log, lines } = capture();
    expect((await squaresMap(log)).squares).toEqual([1, 4, 9, 16, 25]);
    expect(lines).toEqual([1, 4, 9, 16, 25].map((value) => `Squared value: ${value}`));
  });

  it('squares-as-completed: every square, in completion order', async () => {
    const { log } = capture();
    const { squares } = await squaresAsCompleted(log);
    expect([...squares].sort((a, b) => a - b)).toEqual([1, 4, 9, 16, 25]);
  });
});

describe('the examples package', () => {
  it('lists every example file in the catalog, each with its seed header and entry-point guard', async () => {
    // src/ itself; the task modules run by threads are in src/tasks/, the helpers in src/lib/.
    const files = (await readdir(srcDir)).filter((file) => file.endsWith('.ts') && file !== 'catalog.ts' && file !== 'tasks.ts');
    expect(files.map((file) => file.slice(0, -3)).sort()).toEqual(EXAMPLES.map((example) => example.name).sort());
    for (const file of files) {
      const text = await readFile(new URL(file, new URL('../src/', import.meta.url)), 'utf8');
      expect(text, file).toMatch(/^\/\*\*[\s\S]*?seed \d{3}_[0-9a-f]{16}[\s\S]*?\*\//);
      expect(text, file).toMatch(/export async function main\(log: Log = console\.log\)/);
      expect(text, file).toContain('if (isEntryPoint(import.meta.url)) await main();');
    }
  });

  it('runs an example as a script (npx tsx src/<name>.ts) and exits by itself', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--conditions=@futures/source', '--import', 'tsx', 'src/squares-map.ts'],
      { cwd: fileURLToPath(new URL('..', import.meta.url)), timeout: 15_000 },
    );
    expect(stdout.trim().split('\n')).toEqual([1, 4, 9, 16, 25].map((value) => `Squared value: ${value}`));
  });

  it('runs an example with a worker thread as a script, and exits by itself (its endless task stopped)', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--conditions=@futures/source', '--import', 'tsx', 'src/daemon-thread.ts'],
      { cwd: fileURLToPath(new URL('..', import.meta.url)), timeout: 20_000 },
    );
    expect(stdout.trim().split('\n').at(-1)).toMatch(/^Daemon thread stopped: the main program exited; beats \d+/);
  });
});

describe('multiprocessing (seeds 001 and 003): ProcessPoolExecutor and Manager', () => {
  it('process-squares: five child processes, none of them this one', async () => {
    const { log, lines } = capture();
    const result = await processSquares(log);
    expect(result.lines).toEqual([0, 1, 2, 3, 4].map((x) => `${x} squared is ${x * x}`));
    expect(result.pids).not.toContain(process.pid);
    expect(lines.at(-1)).toBe('All processes are done.');
  });

  it('process-shared-counter: 100 increments under a Manager lock across processes give 100', async () => {
    const { log, lines } = capture();
    const result = await processSharedCounter(log);
    expect(result.counter).toBe(100);
    expect(result.processes).toBeGreaterThan(1);
    expect(lines).toEqual(['Counter value: 100']);
  });

  it('process-queue: every square arrives through the Manager queue', async () => {
    const { log, lines } = capture();
    const { squares } = await processQueue(log);
    expect([...squares].sort((a, b) => a - b)).toEqual([1, 4, 9, 16, 25]);
    expect(lines).toHaveLength(5);
  });

  it('process-pool-map: map yields in input order', async () => {
    const { log, lines } = capture();
    const { results } = await processPoolMap(log);
    expect(results).toEqual([1, 4, 9, 16, 25]);
    expect(lines).toEqual(results.map((value) => `Squared value: ${value}`));
  });

  it('process-factorials: each n! comes back as a bigint and checks out', async () => {
    const { log, lines } = capture();
    const { results } = await processFactorials(log);
    expect(results.map((r) => r.n)).toEqual([1000, 10_000, 100_000, 1_000_000]);
    expect(results.map((r) => r.digits)).toEqual([2568, 35_660, 456_574, 5_565_709]);
    expect(results.every((r) => r.verified && r.pid !== process.pid)).toBe(true);
    expect(lines.at(-1)).toMatch(/^Finished in [\d.]+ second\(s\)$/);
  }, 60_000);
});
