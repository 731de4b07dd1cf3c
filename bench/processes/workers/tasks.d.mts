// Types of tasks.mjs, for defineTasks<typeof import('./workers/tasks.mjs')>.
export declare function inc(x: number): number;
export declare function spin(iterations: number): number;
