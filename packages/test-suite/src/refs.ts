import { defineTasks } from '@futures/core';
import type * as SuiteTasks from './tasks.js';

/**
 * Where the suite's task module is: `tasks.ts` beside this file when running from sources
 * (vitest, or a loader that runs TypeScript), `tasks.js` in the built package.
 */
export const suiteTasksUrl: URL = new URL(import.meta.url.endsWith('.ts') ? './tasks.ts' : './tasks.js', import.meta.url);

/** Typed references to the suite's tasks. */
export const suiteTasks = defineTasks<typeof SuiteTasks>(suiteTasksUrl);
