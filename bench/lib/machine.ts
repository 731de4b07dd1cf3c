/** What the numbers were measured on, printed above every report. */
import { availableParallelism, cpus, arch, loadavg, platform, release, totalmem } from 'node:os';
import { formatBytes } from './format.js';
import { gcAvailable } from './gc.js';

/** Facts about this machine and runtime. */
export interface MachineInfo {
  readonly node: string;
  readonly v8: string;
  readonly os: string;
  readonly cpuModel: string;
  readonly cpuCount: number;
  readonly memory: string;
  readonly date: string;
  readonly gc: boolean;
}

/** Collects {@link MachineInfo}. */
export function machineInfo(): MachineInfo {
  const cpuList = cpus();
  return {
    node: process.version,
    v8: process.versions.v8,
    os: `${platform()} ${release()} ${arch()}`,
    cpuModel: cpuList[0]?.model.trim() ?? 'unknown',
    cpuCount: availableParallelism(),
    memory: formatBytes(totalmem()),
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    gc: gcAvailable,
  };
}

/** The machine info as `key: value` lines. */
export function formatMachineInfo(info: MachineInfo = machineInfo()): string {
  return [
    `node ${info.node} (V8 ${info.v8}), ${info.os}`,
    `CPU: ${info.cpuCount} × ${info.cpuModel}, memory ${info.memory}`,
    `date: ${info.date}; forced GC between runs: ${info.gc ? 'yes' : 'NO (run node with --expose-gc)'}; ${formatLoad()}`,
  ].join('\n');
}

/** The system's load averages: other work on the machine skews every number; printed at the start and the end. */
export function formatLoad(): string {
  const [one = 0, five = 0, fifteen = 0] = loadavg();
  return `load average ${one.toFixed(2)} / ${five.toFixed(2)} / ${fifteen.toFixed(2)} (1 / 5 / 15 min) on ${availableParallelism()} CPUs`;
}
