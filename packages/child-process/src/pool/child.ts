/**
 * The child side of the process-pool engine: the entry module of every pool child (forked by
 * `child_process.fork` or `cluster.fork`). It runs the initializer once, then each batch it is
 * sent, in order, with the shared task protocol of @futures/core, and answers the outcomes.
 *
 * Outcomes of quick tasks are grouped for a few milliseconds into one message; a slow task's
 * outcome leaves as soon as it is known. A task that exits the process still delivers the
 * outcomes before it (they are flushed on `'exit'`), so a crash loses nothing already done.
 * The child exits when its IPC channel closes: when the pool shuts down, or when the parent dies
 * (even by SIGKILL).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serialize } from 'node:v8';
import { batchLength, groupOutcomes, runTaskBatch, serializeError, typeScriptImports, type SerializedError, type TaskOutcome, type TaskRunHooks } from '@futures/core/worker';
import { mayHoldHandles, onManagerReply, reviveHandles } from '../manager/client.js';
import { KIND, messageKind, type BundleMessage, type ChildMessage, type ManagerReply, type OutcomesMessage, type RunMessage, type SetupMessage } from './messages.js';

/** Outcomes of quick tasks wait at most this long to travel together. */
const GROUP_MS = 2;

/**
 * In a map chunk, the clock is read once every so many calls at most (a clock read costs about
 * as much as a trivial call here): as many as take about a tenth of GROUP_MS, by the calls so far.
 */
const MAX_STRIDE = 64;

const send = process.send?.bind(process);
if (send === undefined) throw new Error('@futures/child-process: the pool child entry runs only in a process forked with an IPC channel');

/** Sends a message; false when the channel is gone (the parent died or closed it). */
function post(message: ChildMessage): boolean {
  if (!process.connected) return false;
  (send as (message: unknown) => boolean)(message);
  return true;
}

// The parent closed the channel (shutdown) or died: nothing more will come.
process.on('disconnect', () => process.exit(0));
// A send that raced the parent's end fails here (EPIPE): the disconnect above ends the child.
process.on('error', () => undefined);

const hooks: TaskRunHooks = {
  beforeImport: typeScriptImports({
    exists: (url) => existsSync(fileURLToPath(url)),
    register: async () => ((await import('tsx/esm/api')) as { register: () => unknown }).register(),
    nodeStripsTypes: () => Boolean((process.features as { typescript?: unknown }).typescript),
  }),
  prepareArgs: (args) => (mayHoldHandles(args) ? reviveHandles(args) : args),
};

let initialized: Promise<SerializedError | undefined> = Promise.resolve(undefined);
let work: Promise<void> = Promise.resolve();
let ran = 0;

/** The batch being run and its outcomes not sent yet. */
let batchId = 0;
let sentUpTo = 0;
let grouped: TaskOutcome[] = [];
let groupStart = 0;

/** Sends the grouped outcomes (with `ran` when the batch is done). */
function flush(done: boolean): void {
  if (grouped.length === 0 && !done) return;
  const outcomes = grouped;
  const group = groupOutcomes(outcomes);
  const message: OutcomesMessage = done ? { [KIND]: 'outcomes', id: batchId, from: sentUpTo, outcomes: group, ran } : { [KIND]: 'outcomes', id: batchId, from: sentUpTo, outcomes: group };
  grouped = [];
  sentUpTo += outcomes.length;
  groupStart = performance.now();
  try {
    post(message);
  } catch {
    // A result that cannot be copied: it fails alone, the others travel.
    post({ ...message, outcomes: groupOutcomes(outcomes.map(copyable)) });
  }
}

/** The outcome itself, or an error outcome when its value cannot be copied to the parent. */
function copyable(outcome: TaskOutcome): TaskOutcome {
  try {
    serialize(outcome);
    return outcome;
  } catch (error) {
    return [false, serializeError(new TypeError(`the result cannot be copied to the parent process (structured clone): ${(error as Error).message}`, { cause: error }))];
  }
}

// A task that calls process.exit() (or crashes on an uncaught error) keeps the outcomes before it.
process.on('exit', () => {
  if (grouped.length > 0) flush(false);
});

process.on('uncaughtException', (error) => {
  try {
    post({ [KIND]: 'uncaught', error: serializeError(error) });
  } catch {
    // the channel is gone: the exit code tells the parent
  }
  console.error(error);
  process.exit(1);
});

async function initialize(setup: SetupMessage): Promise<SerializedError | undefined> {
  const init = setup.initializer;
  if (init === undefined) return undefined;
  let failure: SerializedError | undefined;
  await runTaskBatch({ tasks: [[init.module, init.name]], args: [init.args] }, (_index, outcome) => {
    if (!outcome[0]) failure = outcome[1];
  }, hooks);
  return failure;
}

async function run(message: RunMessage): Promise<void> {
  const failure = await initialized;
  if (failure !== undefined) {
    post({ [KIND]: 'init-failed', error: failure });
    return;
  }
  batchId = message.id;
  sentUpTo = 0;
  grouped = [];
  groupStart = performance.now();
  if (message.notifyStart) post({ [KIND]: 'started', id: message.id });
  const chunk = message.chunk === true;
  // The last outcome travels with the batch's end (one message, one wake-up of the parent, not two).
  const last = batchLength(message.batch) - 1;
  let stride = 1;
  let sinceCheck = 0;
  let lastCheck = groupStart;
  await runTaskBatch(
    message.batch,
    (index, outcome) => {
      ran++;
      grouped.push(outcome);
      if (index === last) return;
      if (!chunk) {
        if (performance.now() - groupStart >= GROUP_MS) flush(false);
        return;
      }
      if (++sinceCheck < stride) return;
      const now = performance.now();
      const perCall = (now - lastCheck) / sinceCheck;
      stride = perCall > 0 ? Math.max(1, Math.min(MAX_STRIDE, Math.floor(GROUP_MS / 10 / perCall))) : MAX_STRIDE;
      sinceCheck = 0;
      lastCheck = now;
      if (now - groupStart >= GROUP_MS) flush(false);
    },
    hooks,
  );
  flush(true);
}

process.on('message', function onMessage(message: unknown): void {
  switch (messageKind(message)) {
    case 'bundle':
      for (const each of (message as BundleMessage).messages) onMessage(each);
      break;
    case 'setup':
      initialized = initialize(message as SetupMessage);
      break;
    case 'run':
      work = work.then(() => run(message as RunMessage));
      break;
    case 'manager-reply':
      onManagerReply(message as ManagerReply);
      break;
    default:
    // not ours: a task may listen for its own messages
  }
});

post({ [KIND]: 'ready' });
