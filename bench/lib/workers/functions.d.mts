// Types of functions.mjs (the serial baselines call spin in the main thread).
export declare function inc(x: number): number;
export declare function spin(iterations: number): number;
export declare function touch(buffer: ArrayBuffer): ArrayBuffer;
