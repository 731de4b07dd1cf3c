/** Helpers of the process-pool tests: which processes live, and scripts run with plain node. */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** The pids of the live (not zombie) children of process `ppid`, listed by ps. */
export function childrenOf(ppid: number): Promise<number[]> {
  return new Promise<number[]>((resolve) => {
    execFile('ps', ['-o', 'pid=,stat=', '--ppid', String(ppid)], (_error, stdout) => {
      resolve(
        stdout
          .split('\n')
          .map((line) => line.trim().split(/\s+/))
          .filter(([pid, stat]) => pid !== undefined && pid !== '' && !stat?.startsWith('Z'))
          .map(([pid]) => Number(pid)),
      );
    });
  });
}

/** The live children of process `ppid`, running `node` (ps itself is a child too while it runs). */
export async function nodeChildrenOf(ppid: number): Promise<number[]> {
  const pids = await childrenOf(ppid);
  return pids.filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('node');
    } catch {
      return false;
    }
  });
}

/** True while `pid` is a live process (a zombie counts as dead). */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return false;
  }
}

/** Waits until `check()` is true; throws after `ms`. */
export async function until(check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Runs an ES module script with plain node in `cwd`; resolves its stdout (rejects after 30 s). */
export function runScript(script: string, cwd: URL): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--input-type=module', '-e', script], { cwd, timeout: 30_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
    );
  });
}

/** Starts an ES module script with plain node, stdout piped; for tests that kill it. */
export function startScript(script: string, cwd: URL): ChildProcess {
  return spawn(process.execPath, ['--input-type=module', '-e', script], { cwd, stdio: ['ignore', 'pipe', 'inherit'] });
}
