/** CPU time of whole processes (all threads), from /proc/<pid>/stat (Linux). */
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ; 100 on Linux). */
const TICKS_PER_SECOND = 100;

/**
 * utime + stime of a process from /proc, in seconds (with `includeChildren`, also of the
 * children it waited for); undefined when it cannot be read.
 */
export function processCpuSeconds(pid: number | 'self', includeChildren = false): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14–17 of proc(5) (utime, stime, cutime, cstime) are 11–14 after the state (field 3).
    const ticks = fields.slice(11, includeChildren ? 15 : 13).reduce((sum, value) => sum + Number(value), 0);
    return ticks / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}
