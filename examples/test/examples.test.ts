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
import { main as doneThenResult } from '../src/done-then-result.ts';
import { main as downloadSites } from '../src/download-sites.ts';
import { ValueError, main as errorHandling } from '../src/error-handling.ts';
import { main as numbersAndLetters } from '../src/numbers-and-letters.ts';
import { main as poolSubmitMap } from '../src/pool-submit-map.ts';
import { main as sequentialVsConcurrent } from '../src/sequential-vs-concurrent.ts';
import { main as sharedCounter } from '../src/shared-counter.ts';
import { main as slowTask } from '../src/slow-task.ts';
import { main as squaresAsCompleted } from '../src/squares-as-completed.ts';
import { main as squaresMap } from '../src/squares-map.ts';

const srcDir = fileURLToPath(new URL('../src/', import.meta.url));

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

  it('shared-counter: 100 without a lock, lost updates across an await, 100 with a lock', async () => {
    const { log, lines } = capture();
    const { plain, racy, locked } = await sharedCounter(log);
    expect(plain).toBe(100);
    expect(racy).toBeGreaterThanOrEqual(1);
    expect(racy).toBeLessThan(100);
    expect(locked).toBe(100);
    expect(lines[0]).toBe('Counter value: 100');
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
});
