/**
 * How a ThreadPoolExecutor's threads start: which file they load and which Node options they get.
 */
import { createHash } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { inheritableExecArgv } from '@futures/core';

/** Running from the TypeScript sources (tests): threads then resolve @futures packages to sources too. */
export const SOURCE_MODE = import.meta.url.endsWith('.ts');

/**
 * The worker entry: the built `worker.js`. Running from the TypeScript sources (our tests, or
 * tsx), a small bootstrap in the temp directory registers tsx in the thread, then loads `worker.ts`.
 */
export function workerFilename(): string {
  const here = import.meta.url;
  if (!SOURCE_MODE) return fileURLToPath(new URL('./worker.js', here));
  const tsx = import.meta.resolve('tsx/esm/api');
  const worker = new URL('./worker.ts', here).href;
  const source = `const { register } = await import(${JSON.stringify(tsx)});\nregister();\nconst m = await import(${JSON.stringify(worker)});\nexport default m.default;\n`;
  const file = join(tmpdir(), `futures-worker-${createHash('sha256').update(source).digest('hex').slice(0, 16)}.mjs`);
  if (!existsSync(file)) writeFileSync(file, source);
  return file;
}

let inherited: readonly string[] | undefined;

/**
 * The parent's Node options that a thread accepts: core's `inheritableExecArgv` (no script,
 * test-runner, watch or debugger flags, no tsx loader: a thread registers tsx itself when it
 * meets a TypeScript task module). Process-wide options (`--expose-gc`, `--max-old-space-size`, `--title`,
 * V8 flags) are refused by `new Worker` (ERR_WORKER_INVALID_EXEC_ARGV); they apply to the whole
 * process anyway, so they are left out. Computed once per process.
 */
export function inheritedExecArgv(): string[] {
  inherited ??= acceptedByThreads(inheritableExecArgv(process.execArgv));
  return [...inherited];
}

/**
 * `argv` without the options a worker thread refuses. Node names them in its error, so one
 * probe thread (stopped at once) tells which; none is started when `argv` is empty.
 */
function acceptedByThreads(argv: string[]): string[] {
  let list = argv;
  for (let attempt = 0; attempt < 3 && list.length > 0; attempt++) {
    try {
      void new Worker('', { eval: true, execArgv: list, stdout: true, stderr: true }).terminate();
      return list;
    } catch (error) {
      const { code, message } = error as { code?: string; message?: string };
      if (code !== 'ERR_WORKER_INVALID_EXEC_ARGV') return list;
      const refused = new Set((message ?? '').replace(/^[^:]*:\s*/, '').split(', '));
      const kept: string[] = [];
      for (let i = 0; i < list.length; i++) {
        const arg = list[i] as string;
        if (!refused.has(arg)) kept.push(arg);
        else if (!arg.includes('=') && list[i + 1] !== undefined && !(list[i + 1] as string).startsWith('-')) i++; // its value
      }
      list = kept;
    }
  }
  return list;
}
