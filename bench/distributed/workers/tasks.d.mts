// Types of tasks.mjs, for defineTasks<typeof import('./workers/tasks.mjs')>.
export declare const WORK_ROUNDS: number;
export declare function work(n: number): number;
