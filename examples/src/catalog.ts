/**
 * Every example, in tutorial order, with the seed tutorial and section it ports. `demo.ts`
 * runs them in this order; the tests check that every file in `src/` is listed here.
 */
import { redisUnavailable } from './lib/redis.ts';
import type { Log } from './lib/support.ts';
import { main as slowTask } from './slow-task.ts';
import { main as countUpDown } from './count-up-down.ts';
import { main as sharedArraySquares } from './shared-array-squares.ts';
import { main as sequentialVsConcurrent } from './sequential-vs-concurrent.ts';
import { main as asCompleted } from './as-completed.ts';
import { main as factorials } from './factorials.ts';
import { main as errorHandling } from './error-handling.ts';
import { main as downloadSites } from './download-sites.ts';
import { main as poolSubmitMap } from './pool-submit-map.ts';
import { main as doneThenResult } from './done-then-result.ts';
import { main as apiFetch } from './api-fetch.ts';
import { main as numbersAndLetters } from './numbers-and-letters.ts';
import { main as numbersAndLettersThreads } from './numbers-and-letters-threads.ts';
import { main as sharedCounter } from './shared-counter.ts';
import { main as sharedCounterThreads } from './shared-counter-threads.ts';
import { main as daemonThread } from './daemon-thread.ts';
import { main as queueWorker } from './queue-worker.ts';
import { main as squaresMap } from './squares-map.ts';
import { main as squaresAsCompleted } from './squares-as-completed.ts';
import { main as s3Download } from './s3-download.ts';
import { main as s3Upload } from './s3-upload.ts';
import { main as s3Bulk } from './s3-bulk.ts';
import { main as processSquares } from './process-squares.ts';
import { main as processSharedCounter } from './process-shared-counter.ts';
import { main as processQueue } from './process-queue.ts';
import { main as processPoolMap } from './process-pool-map.ts';
import { main as processFactorials } from './process-factorials.ts';
import { main as imageProcessing } from './image-processing.ts';
import { main as distributedThumbnails } from './distributed-thumbnails.ts';
import { main as scrapeSites } from './scrape-sites.ts';

/** The seed tutorials the examples come from (files in the project's `seeds/` folder). */
export const SEEDS = {
  '000': 'Concurrent Programming in Python: Futures, Threads, and Processes (000_a15cb93248c75fbe)',
  '001': "Concurrent Execution with Python's concurrent.futures Module: A Hilariously Efficient Guide (001_afc6471b14b11a2b)",
  '002': 'Python Module - concurrent.futures, Scaler Topics (002_62c9057b8e45881c)',
  '003': 'Concurrency in Python, Ryusei Kakujo (003_4d0fb0a1a08e26dd)',
} as const;

export interface Example {
  /** The file name in `src/` without `.ts`. */
  readonly name: string;
  /** What it shows. */
  readonly title: string;
  /** The seed tutorial it ports. */
  readonly seed: keyof typeof SEEDS;
  /** The section of the seed. */
  readonly section: string;
  /** Runs it, printing through `log`. */
  readonly main: (log?: Log) => Promise<unknown>;
  /**
   * Why it cannot run on this machine (a server it needs is not installed), or `undefined`.
   * `demo.ts` then prints the reason instead of running it; its test runs it anyway, and fails.
   */
  readonly unavailable?: () => string | undefined;
}

export const EXAMPLES: readonly Example[] = [
  { name: 'slow-task', title: 'Slow task + result', seed: '000', section: 'Futures', main: slowTask },
  { name: 'count-up-down', title: 'Two counters at the same time', seed: '000', section: 'Threads', main: countUpDown },
  { name: 'shared-array-squares', title: 'Squares written into a SharedArray by tasks in threads', seed: '000', section: 'Processes', main: sharedArraySquares },
  {
    name: 'sequential-vs-concurrent',
    title: 'Sequential vs submit vs map, timed',
    seed: '001',
    section: 'Diving into the Code: ThreadPoolExecutor',
    main: sequentialVsConcurrent,
  },
  { name: 'as-completed', title: 'Results as they complete', seed: '001', section: 'Example with Future objects', main: asCompleted },
  { name: 'factorials', title: 'Factorials of large numbers in parallel threads', seed: '001', section: 'Tackling CPU-Bound Tasks: ProcessPoolExecutor', main: factorials },
  { name: 'error-handling', title: 'Errors travel inside futures', seed: '001', section: 'Error Handling', main: errorHandling },
  { name: 'download-sites', title: 'Downloading several pages at once', seed: '001', section: 'Practical Examples: 1. Web Scraping', main: downloadSites },
  { name: 'pool-submit-map', title: 'Create a pool, submit, map', seed: '002', section: 'Examples for Understanding: Example 1', main: poolSubmitMap },
  { name: 'done-then-result', title: 'done() before and after, then result()', seed: '002', section: 'Examples for Understanding: Example 2', main: doneThenResult },
  { name: 'api-fetch', title: 'An API one request at a time, then all at once', seed: '002', section: 'Examples for Understanding: Example 3', main: apiFetch },
  { name: 'numbers-and-letters', title: 'Two tasks started together, then joined', seed: '003', section: 'The Threading Module: Creating Threads', main: numbersAndLetters },
  {
    name: 'numbers-and-letters-threads',
    title: 'Numbers and letters printed by two worker threads at once',
    seed: '003',
    section: 'The Threading Module: Creating Threads',
    main: numbersAndLettersThreads,
  },
  { name: 'shared-counter', title: 'A counter shared by 100 tasks', seed: '003', section: 'The Threading Module: Thread Synchronization', main: sharedCounter },
  {
    name: 'shared-counter-threads',
    title: 'A Lock-protected counter shared by 100 tasks in threads',
    seed: '003',
    section: 'The Threading Module: Thread Synchronization',
    main: sharedCounterThreads,
  },
  { name: 'daemon-thread', title: 'A background thread stopped when the program is done', seed: '003', section: 'The Threading Module: Daemon Threads', main: daemonThread },
  { name: 'queue-worker', title: 'Worker threads consuming a shared Queue until a sentinel', seed: '003', section: 'The Threading Module: Thread Communication', main: queueWorker },
  { name: 'squares-map', title: 'Squares with map', seed: '003', section: 'The Concurrent.futures Module: ThreadPoolExecutor', main: squaresMap },
  { name: 'squares-as-completed', title: 'Squares with submit and asCompleted', seed: '003', section: 'The Concurrent.futures Module: Future Objects', main: squaresAsCompleted },
  { name: 's3-download', title: 'Downloading files from S3 at once, with submit and asCompleted', seed: '003', section: 'Use Case: S3', main: s3Download },
  { name: 's3-upload', title: 'Uploading files to S3 at once, with submit and asCompleted', seed: '003', section: 'Use Case: S3', main: s3Upload },
  { name: 's3-bulk', title: 'Bulk: a folder to S3 and back with @futures/s3', seed: '003', section: 'Use Case: S3', main: s3Bulk },
  { name: 'image-processing', title: 'Resizing images in worker threads, then thumbnails with @futures/thumbnails', seed: '001', section: 'Practical Examples: 2. Image Processing', main: imageProcessing },
  {
    name: 'distributed-thumbnails',
    title: 'Thumbnails by three worker processes sharing a Redis queue (DistributedExecutor)',
    seed: '001',
    section: 'Practical Examples: 2. Image Processing',
    main: distributedThumbnails,
    unavailable: redisUnavailable,
  },
  { name: 'scrape-sites', title: 'Scraping several sites, then crawling them, politely with @futures/scrape', seed: '001', section: 'Practical Examples: 1. Web Scraping', main: scrapeSites },
  { name: 'process-squares', title: 'Squares printed by five separate processes', seed: '003', section: 'The Multiprocessing Module: Creating Processes', main: processSquares },
  {
    name: 'process-shared-counter',
    title: 'A Lock-protected counter shared by 100 tasks in child processes (Manager)',
    seed: '003',
    section: 'The Multiprocessing Module: Process Synchronization',
    main: processSharedCounter,
  },
  { name: 'process-queue', title: 'Results through a Manager queue from child processes', seed: '003', section: 'The Multiprocessing Module: Inter-Process Communication', main: processQueue },
  { name: 'process-pool-map', title: 'Squares with ProcessPoolExecutor.map', seed: '003', section: 'The Concurrent.futures Module: ProcessPoolExecutor', main: processPoolMap },
  { name: 'process-factorials', title: 'Factorials of large numbers in a ProcessPoolExecutor', seed: '001', section: 'Tackling CPU-Bound Tasks: ProcessPoolExecutor', main: processFactorials },
];
