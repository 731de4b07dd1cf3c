/**
 * The worker-thread side of ThreadPoolExecutor (piscina's handler): runs a batch of tasks in
 * order with the shared task protocol of @futures/core. The outcomes of a larger batch are
 * posted one by one on this thread's outcome port as soon as each is known, so a crash later in
 * the batch loses nothing already done; the main thread drains the port in one go.
 *
 * Start-up is kept short: the shared-memory primitives and piscina's `move` load only when a
 * task's arguments or result need them.
 */
import { MessageChannel, parentPort, threadId, workerData } from 'node:worker_threads';
import { batchLength, runTaskBatch, serializeError, type TaskOutcome, type TaskRunHooks } from '@futures/core/worker';
import { CLAIM, type BatchRequest, type BatchResponse, type OutcomePort, type StreamedOutcome, type TaskStarted, type WorkerSettings } from './messages.js';
import { takeTransfer, type Transferable } from './transfer.js';
import { prepareImport } from './typescript.js';

type Revive = (value: unknown) => unknown;
let revive: Revive | Promise<Revive> | undefined;

/** Shared-memory primitives (Lock, Value, Queue, ...) arrive as plain data: revive them. */
function prepareArgs(args: readonly unknown[]): readonly unknown[] | Promise<readonly unknown[]> {
  // Primitives cannot hold shared data: no need to load the shared-memory modules.
  if (args.every((arg) => typeof arg !== 'object' || arg === null)) return args;
  revive ??= import('./shared/transferable.js').then((m) => (revive = m.fromTransferable));
  if (typeof revive === 'function') return revive(args) as readonly unknown[];
  return revive.then((fn) => fn(args) as readonly unknown[]);
}

/** What the running batch's results ask to move instead of copy (see `transfer()`). */
let moving: Transferable[] = [];

const hooks: TaskRunHooks = {
  beforeImport: prepareImport,
  prepareArgs,
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

// The outcome port goes out before piscina's "ready" (this module loads first), on the same port.
const { port1: outcomes, port2: outcomesForParent } = new MessageChannel();
const announce: OutcomePort = { '@futures/outcomes': outcomesForParent, threadId };
parentPort?.postMessage(announce, [outcomesForParent]);

/** Runs the initializer once, before the first task; its failure is answered to every batch. */
let initDone = settings.initializer === undefined;
const initialized: Promise<unknown> = (async () => {
  const init = settings.initializer;
  if (init === undefined) return undefined;
  let failure: unknown;
  await runTaskBatch({ tasks: [[init.module, init.name]], args: [init.args] }, (_index, outcome) => {
    if (!outcome[0]) failure = outcome[1];
  }, hooks);
  initDone = failure === undefined;
  return failure;
})();

const claims = settings.claims === undefined ? undefined : new Int32Array(settings.claims);
const claimTimes = settings.claimTimes === undefined ? undefined : new Float64Array(settings.claimTimes);

/** The batch this thread runs now: batches sent ahead wait for it, one task at a time. */
let current: Promise<unknown> = Promise.resolve();

/** piscina's handler (piscina may hand a thread a second batch, sent ahead, while it runs one). */
export default function handle(request: BatchRequest): Promise<BatchResponse> {
  const run = current.then(() => runBatch(request));
  current = run.catch(() => undefined);
  return run;
}

async function runBatch(request: BatchRequest): Promise<BatchResponse> {
  if (!initDone) {
    const initFailure = await initialized;
    if (initFailure !== undefined) return { kind: 'initializer-failed', error: initFailure as never, threadId };
  }
  const { id, batch } = request;
  if (request.claim !== undefined) {
    // Sent ahead: take it, unless the main thread took it back (cancelled) first.
    // The time first: the main thread reads it once it sees the cell taken (the exchange orders the two).
    if (claimTimes !== undefined) claimTimes[request.claim] = performance.timeOrigin + performance.now();
    if (claims === undefined || Atomics.compareExchange(claims, request.claim, CLAIM.open, CLAIM.taken) !== CLAIM.open) return { kind: 'revoked', threadId };
  } else if (request.notifyStart) {
    const started: TaskStarted = { '@futures/started': true, id };
    parentPort?.postMessage(started);
  }
  moving = [];
  if (batchLength(batch) === 1) {
    let single: TaskOutcome | undefined;
    await runTaskBatch(batch, (_index, outcome) => (single = outcome), hooks);
    single ??= [false, serializeError(new Error('the task ran but reported no outcome'))];
    ran++;
    const response: BatchResponse = { kind: 'single', outcome: single, threadId, ran };
    if (moving.length === 0) return response;
    const list = moving;
    moving = [];
    return moveResult(response, list);
  }
  await runTaskBatch(
    batch,
    (index, outcome) => {
      ran++;
      const message: StreamedOutcome = [id, index, outcome];
      const list = moving;
      moving = [];
      outcomes.postMessage(message, list as never);
    },
    hooks,
  );
  return { kind: 'streamed', count: batchLength(batch), threadId, ran };
}

/** The response of a batch of one whose result moves its buffers (piscina's `move`, loaded now). */
async function moveResult(response: BatchResponse, list: readonly Transferable[]): Promise<BatchResponse> {
  const { move, transferableSymbol, valueSymbol } = await import('piscina');
  return move({ [transferableSymbol]: list, [valueSymbol]: response } as never) as unknown as BatchResponse;
}
