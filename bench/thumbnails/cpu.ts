/** CPU utilisation of every core over an interval, from /proc/stat (Linux); elsewhere `undefined`. */
import { readFileSync } from 'node:fs';

/** Jiffies per CPU line of /proc/stat: `cpu` (all cores) first, then `cpu0`, `cpu1`, … */
export type CpuSample = ReadonlyMap<string, { readonly busy: number; readonly total: number }>;

/** Reads /proc/stat now. */
export function sampleCpu(): CpuSample | undefined {
  let text: string;
  try {
    text = readFileSync('/proc/stat', 'utf8');
  } catch {
    return undefined;
  }
  const sample = new Map<string, { busy: number; total: number }>();
  for (const line of text.split('\n')) {
    const [name, ...fields] = line.trim().split(/\s+/);
    if (name === undefined || !name.startsWith('cpu')) continue;
    const values = fields.map(Number);
    const total = values.slice(0, 8).reduce((sum, v) => sum + v, 0); // user nice system idle iowait irq softirq steal
    const idle = (values[3] ?? 0) + (values[4] ?? 0);
    sample.set(name, { busy: total - idle, total });
  }
  return sample;
}

/** Busy share (0–1) of all cores together and of each core between two samples. */
export function cpuBusy(before: CpuSample | undefined, after: CpuSample | undefined): { all: number; cores: number[] } | undefined {
  if (before === undefined || after === undefined) return undefined;
  const share = (name: string): number => {
    const a = before.get(name);
    const b = after.get(name);
    if (a === undefined || b === undefined || b.total === a.total) return 0;
    return (b.busy - a.busy) / (b.total - a.total);
  };
  const cores = [...after.keys()].filter((name) => name !== 'cpu').map(share);
  return { all: share('cpu'), cores };
}
