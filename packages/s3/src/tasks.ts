/**
 * The task @futures/s3 submits to executors that cannot run plain functions (thread and process
 * pools): one object transfer, with a client built in the worker from the connection options
 * and kept for the worker's later tasks. Import it as a task reference:
 * `taskRef(import.meta.resolve('@futures/s3/tasks'), 'transferObject')` — the bulk functions do.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { runAction, type ObjectAction } from './actions.js';
import { createS3Client, type S3ConnectionOptions } from './client.js';
import { S3TransferError } from './errors.js';
import type { ObjectTransfer } from './objects.js';

/** What {@link transferObject} gets: plain data only. */
export interface TransferObjectJob {
  /** How to connect (no client object: it cannot cross a thread or process boundary). */
  readonly connection: S3ConnectionOptions;
  /** Part size, threshold, parts in flight and retries. */
  readonly settings: { readonly partSize: number; readonly multipartThreshold: number; readonly partConcurrency: number; readonly retries: number };
  /** The transfer. */
  readonly action: ObjectAction;
}

/** What {@link transferObject} answers: the transfer, or the object's error as data (so one object's failure is a result, not a lost worker). */
export type TransferObjectOutcome = { readonly ok: true; readonly transfer: ObjectTransfer } | { readonly ok: false; readonly code: S3TransferError['code']; readonly message: string };

const clients = new Map<string, S3Client>();

function clientFor(connection: S3ConnectionOptions): S3Client {
  const id = JSON.stringify(connection);
  let client = clients.get(id);
  if (client === undefined) {
    client = createS3Client(connection);
    clients.set(id, client);
  }
  return client;
}

/** Transfers one object (the task run by thread and process pools). `this.signal`, when the executor gives one, aborts it. */
export async function transferObject(this: { readonly signal?: AbortSignal } | undefined, job: TransferObjectJob): Promise<TransferObjectOutcome> {
  try {
    const transfer = await runAction(clientFor(job.connection), { ...job.settings, signal: this?.signal }, job.action);
    return { ok: true, transfer };
  } catch (error) {
    if (error instanceof S3TransferError) return { ok: false, code: error.code, message: error.message };
    throw error;
  }
}
