/**
 * Moving results back without copying: a task returns `transfer(value, [buffer])` and the
 * listed ArrayBuffers / MessagePorts move to the main thread instead of being copied (they
 * become unusable in the worker). Arguments move the other way with
 * `executor.submitWith({ transfer: [buffer] }, task, ...)`.
 */

const kTransfer = Symbol.for('@futures/worker-threads.transfer');

/** A result marked for transfer; see {@link transfer}. */
export interface TransferResult<T> {
  readonly [kTransfer]: readonly Transferable[];
  readonly value: T;
}

/** What can be moved between threads. */
export type Transferable = ArrayBuffer | import('node:worker_threads').MessagePort;

/**
 * Inside a task: returns `value`, moving the objects in `list` to the main thread instead of
 * copying them. The caller receives `value` itself.
 *
 * @example
 * export function render(width: number) {
 *   const pixels = new Uint8Array(width * width * 4);
 *   // ... fill pixels ...
 *   return transfer(pixels, [pixels.buffer]);
 * }
 */
export function transfer<T>(value: T, list: readonly Transferable[]): T {
  if (!Array.isArray(list)) throw new TypeError('transfer(value, list): list must be an array of ArrayBuffers or MessagePorts');
  return { [kTransfer]: list, value } as unknown as T;
}

/** Worker side: splits a task's result into the value and what to transfer. */
export function takeTransfer(result: unknown): { value: unknown; list: readonly Transferable[] } | undefined {
  if (typeof result === 'object' && result !== null && kTransfer in result) {
    const marked = result as TransferResult<unknown>;
    return { value: marked.value, list: marked[kTransfer] };
  }
  return undefined;
}
