/**
 * The worker-thread side of ThreadPoolExecutor (piscina's handler): runs a batch of task calls
 * in order with the shared task protocol of @futures/core, streaming each outcome of a larger
 * batch through `parentPort` as soon as it is known.
 */
import { parentPort, threadId, workerData } from 'node:worker_threads';
import { move, transferableSymbol, valueSymbol } from 'piscina';
import { runTaskCalls, serializeError, type TaskOutcome } from '@futures/core';
import type { BatchRequest, BatchResponse, StreamedOutcome, TaskStarted, WorkerSettings } from './messages.js';
import { fromTransferable } from './shared/index.js';
import { takeTransfer, type Transferable } from './transfer.js';
import { prepareImport } from './typescript.js';

/** What the running batch's results ask to move instead of copy (see `transfer()`). */
let moving: Transferable[] = [];

const hooks = {
  beforeImport: prepareImport,
  /** Shared-memory primitives (Lock, Value, Queue, ...) arrive as plain data: revive them. */
  prepareArgs: (args: readonly unknown[]) => fromTransferable(args) as readonly unknown[],
  /** A result wrapped by `transfer()` gives its value and queues its buffers to move. */
  prepareResult: (value: unknown) => {
    const marked = takeTransfer(value);
    if (marked === undefined) return value;
    moving.push(...marked.list);
    return marked.value;
  },
};

const settings = ((workerData as { futures?: WorkerSettings } | undefined)?.futures ?? {}) as WorkerSettings;
let ran = 0;

/** Runs the initializer once, before the first task; its failure is answered to every batch. */
const initialized: Promise<unknown> = (async () => {
  const init = settings.initializer;
  if (init === undefined) return undefined;
  let failure: unknown;
  await runTaskCalls([init], (_index, outcome) => {
    if (!outcome[0]) failure = outcome[1];
  }, hooks);
  return failure;
})();

/** piscina's handler. */
export default async function runBatch(request: BatchRequest): Promise<BatchResponse> {
  const initFailure = await initialized;
  if (initFailure !== undefined) return { kind: 'initializer-failed', error: initFailure as never, threadId };
  const { batch, calls } = request;
  if (request.notifyStart) {
    const started: TaskStarted = { '@futures/started': true, batch };
    parentPort?.postMessage(started);
  }
  if (calls.length === 1) {
    let single: TaskOutcome = [false, serializeError(new Error('no outcome'))];
    moving = [];
    await runTaskCalls(calls, (_index, outcome) => (single = outcome), hooks);
    ran++;
    const response: BatchResponse = { kind: 'single', outcome: single, threadId, ran };
    if (moving.length === 0) return response;
    const list = moving;
    moving = [];
    return move({ [transferableSymbol]: list, [valueSymbol]: response } as never) as unknown as BatchResponse;
  }
  moving = [];
  await runTaskCalls(
    calls,
    (index, outcome) => {
      ran++;
      const message: StreamedOutcome = { '@futures/outcome': true, batch, index, outcome };
      const list = moving;
      moving = [];
      parentPort?.postMessage(message, list as never);
    },
    hooks,
  );
  return { kind: 'streamed', count: calls.length, threadId, ran };
}
