/**
 * The process-pool benches: ProcessPoolExecutor and ClusterExecutor against workerpool (process
 * mode), tinypool (child_process runtime), poolifier (FixedClusterPool) and Python 3's
 * concurrent.futures.ProcessPoolExecutor (a subprocess), 2 children each.
 */
import type { Scenario } from '../lib/scenario.js';
import { cpuScenario } from './cpu.js';
import { mapScenario } from './map.js';
import { startupScenario } from './startup.js';
import { submitAllScenario } from './submit-all.js';

export const processScenarios: readonly Scenario[] = [submitAllScenario, mapScenario, cpuScenario, startupScenario];
