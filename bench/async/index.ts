/** The AsyncExecutor benches: against p-limit and p-queue, and map's memory bound. */
import type { Scenario } from '../lib/scenario.js';
import { mapMemoryScenario } from './map-memory.js';
import { submitAllScenario } from './submit-all.js';
import { windowScenario } from './window.js';

export const asyncScenarios: readonly Scenario[] = [submitAllScenario, windowScenario, mapMemoryScenario];
