/**
 * Python 3's `concurrent.futures.ProcessPoolExecutor` as rows of the process-pool tables: each
 * case starts `python3 pool.py serve` (a subprocess of the bench's child process), which holds
 * the scenario (for the pool scenarios a started executor, as the Node cases hold a started
 * pool) and answers each run with its checksum and the time it took, measured in Python
 * after `gc.collect()`: the Python rows are self-timed runs (lib/throughput.ts `SelfTimedRun`),
 * so neither starting Python nor the pipe is counted. `PYTHON=…` picks another interpreter.
 */
import { execFileSync, spawn, type ChildProcessByStdio } from 'node:child_process';
import { createInterface, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { isChild } from '../lib/child.js';
import type { CaseSession, SelfTimedRun, ThroughputCase } from '../lib/throughput.js';

/** The interpreter: `$PYTHON` or `python3`. */
export const PYTHON = process.env.PYTHON ?? 'python3';

const SCRIPT = fileURLToPath(new URL('./pool.py', import.meta.url));

/** What pool.py's `open` sets up (see its docstring). */
export interface PythonScenario {
  readonly scenario: 'submit' | 'map' | 'cpu' | 'serial' | 'startup';
  readonly workers?: number;
  readonly chunksize?: number;
  readonly iterations?: number;
}

/**
 * `Python 3.11.7 (python3), multiprocessing start method 'fork'`, for the notes under the tables.
 * Asked once, and not in the bench's child processes (they print no table).
 */
export function pythonDescription(): string {
  if (isChild()) return PYTHON;
  described ??= describePython();
  return described;
}

let described: string | undefined;

function describePython(): string {
  try {
    const out = execFileSync(PYTHON, ['-c', 'import multiprocessing, platform; print(platform.python_version(), multiprocessing.get_start_method())'], { encoding: 'utf8' });
    const [version = '?', method = '?'] = out.trim().split(' ');
    return `Python ${version} (${PYTHON}), multiprocessing start method '${method}'`;
  } catch {
    return `${PYTHON}: not found`;
  }
}

/** One `pool.py serve` process: JSON lines in and out, one answer per request. */
class PythonServer {
  readonly #child: ChildProcessByStdio<Writable, Readable, null>;
  readonly #lines: Interface;
  readonly #waiting: ((line: string) => void)[] = [];
  readonly #exited: Promise<void>;
  #exitText: string | undefined;

  constructor() {
    this.#child = spawn(PYTHON, [SCRIPT, 'serve'], { stdio: ['pipe', 'pipe', 'inherit'] });
    this.#lines = createInterface({ input: this.#child.stdout });
    this.#lines.on('line', (line) => this.#waiting.shift()?.(line));
    this.#exited = new Promise((resolve) => {
      this.#child.once('exit', (code, signal) => {
        this.#exitText = `exited with ${signal ?? `code ${code}`}`;
        resolve();
      });
      this.#child.once('error', (error) => {
        this.#exitText = `could not start: ${error.message}`;
        resolve();
      });
    });
  }

  /** Sends one request and resolves to the answer. */
  async request(message: object): Promise<Record<string, unknown>> {
    const line = new Promise<string>((resolve) => this.#waiting.push(resolve));
    this.#child.stdin.write(`${JSON.stringify(message)}\n`);
    const answer = await Promise.race([line, this.#exited.then(() => undefined)]);
    if (answer === undefined) throw new Error(`${PYTHON} ${SCRIPT} serve ${this.#exitText ?? 'exited'} before answering ${JSON.stringify(message)}`);
    const parsed = JSON.parse(answer) as Record<string, unknown>;
    if ('error' in parsed) throw new Error(`pool.py: ${String(parsed.error)}`);
    return parsed;
  }

  /** Shuts Python's executor down and waits until the interpreter exited. */
  async close(): Promise<void> {
    if (this.#exitText === undefined) {
      this.#child.stdin.end(`${JSON.stringify({ close: true })}\n`);
      await this.#exited;
    }
    this.#lines.close();
  }
}

/** How a Python case's checksum is turned into the scenario's (identity by default). */
export type ChecksumMap = (checksum: number, tasks: number) => number;

/**
 * A throughput case run by Python: the session is one `pool.py serve` process with `scenario`
 * open; each run is timed in Python.
 */
export function pythonCase(name: string, scenario: PythonScenario, options: { readonly baseline?: boolean; readonly checksum?: ChecksumMap } = {}): ThroughputCase {
  return {
    name,
    ...(options.baseline === undefined ? {} : { baseline: options.baseline }),
    open: async (): Promise<CaseSession> => {
      const server = new PythonServer();
      try {
        await server.request({ open: scenario });
      } catch (error) {
        await server.close();
        throw error;
      }
      return {
        run: async (tasks): Promise<SelfTimedRun> => {
          const answer = await server.request({ run: tasks });
          const checksum = Number(answer.checksum);
          return { checksum: options.checksum === undefined ? checksum : options.checksum(checksum, tasks), ms: Number(answer.seconds) * 1000 };
        },
        close: () => server.close(),
      };
    },
  };
}
