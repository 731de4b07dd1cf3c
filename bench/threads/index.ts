/** The ThreadPoolExecutor benches: against piscina, tinypool, workerpool and poolifier (2 threads each). */
import type { Scenario } from '../lib/scenario.js';
import { coldScenario } from './cold.js';
import { cpuScenario } from './cpu.js';
import { mapScenario } from './map.js';
import { submitAllScenario } from './submit-all.js';
import { transferScenario } from './transfer.js';
import { windowScenario } from './window.js';

export const threadScenarios: readonly Scenario[] = [submitAllScenario, windowScenario, mapScenario, cpuScenario, transferScenario, coldScenario];
