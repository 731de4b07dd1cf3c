import { defineTasks } from '@futures/core';
import type * as FaultTasks from './faults.js';
import type * as SuiteTasks from './tasks.js';

/**
 * Where the suite's task module is: `tasks.ts` beside this file when running from sources
 * (vitest, or a loader that runs TypeScript), `tasks.js` in the built package.
 */
export const suiteTasksUrl: URL = new URL(import.meta.url.endsWith('.ts') ? './tasks.ts' : './tasks.js', import.meta.url);

/** Typed references to the suite's tasks. */
export const suiteTasks = defineTasks<typeof SuiteTasks>(suiteTasksUrl);

/** Where the fault tasks are (see faults.ts): `faults.ts` from sources, `faults.js` built. */
export const faultTasksUrl: URL = new URL(import.meta.url.endsWith('.ts') ? './faults.ts' : './faults.js', import.meta.url);

/** Typed references to tasks that crash their worker or initialise it, for backends' own tests. */
export const faultTasks = defineTasks<typeof FaultTasks>(faultTasksUrl);
