/**
 * The worker-thread side of ThreadPoolExecutor (piscina's handler): runs a batch of task calls
 * in order with the shared task protocol of @futures/core, streaming each outcome of a larger
 * batch through `parentPort` as soon as it is known.
 */
import { parentPort, threadId, workerData } from 'node:worker_threads';
import { runTaskCalls, serializeError, type TaskOutcome } from '@futures/core';
import type { BatchRequest, BatchResponse, StreamedOutcome, TaskStarted, WorkerSettings } from './messages.js';
import { fromTransferable } from './shared/index.js';
import { prepareImport } from './typescript.js';

/** Shared-memory primitives (Lock, Value, Queue, ...) arrive as plain data: revive them. */
const hooks = { beforeImport: prepareImport, prepareArgs: (args: readonly unknown[]) => fromTransferable(args) as readonly unknown[] };

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
    await runTaskCalls(calls, (_index, outcome) => (single = outcome), hooks);
    ran++;
    return { kind: 'single', outcome: single, threadId, ran };
  }
  await runTaskCalls(
    calls,
    (index, outcome) => {
      ran++;
      const message: StreamedOutcome = { '@futures/outcome': true, batch, index, outcome };
      parentPort?.postMessage(message);
    },
    hooks,
  );
  return { kind: 'streamed', count: calls.length, threadId, ran };
}
