// Types of transfer-tasks.mjs, for defineTasks<typeof import('./workers/transfer-tasks.mjs')>.
export declare function touchTransfer(buffer: ArrayBuffer): ArrayBuffer;
