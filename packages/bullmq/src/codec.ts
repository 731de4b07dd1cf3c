/**
 * How tasks and their outcomes travel through Redis: the documented serialization.
 *
 * A job's data is JSON, readable in any BullMQ dashboard:
 * `{ futures: 1, module, name, args, timeout?, stoppable? }` (a `map` chunk carries `batch` instead of
 * `args`, see {@link JobPayload}), where `module` and `name` are the task reference and `args`
 * the argument list, encoded as a string in one of two ways, told apart by the first character:
 *
 * - `[`: JSON of `[value]`, when the value is a string, boolean, null, finite number (not -0),
 *   or an array of those (most argument lists and results);
 * - otherwise base64 of Node's `v8.serialize(value)`: the structured clone algorithm, as every
 *   other @futures backend that copies (Map, Set, Date, BigInt, typed arrays, Buffers, Errors and
 *   cycles survive; functions and symbols do not).
 *
 * A task's result (the job's return value) is the same encoding of the value; a failed task's
 * error travels as @futures/core's `serializeError` data, in the same encoding, in the job's
 * data under `error`. `v8.serialize`'s format is shared by every Node.js release from 20 on, so
 * submitters and workers may run different versions.
 */
import { deserialize, serialize } from 'node:v8';
import { InvalidPayloadError, PayloadTooLargeError } from './errors.js';

/** The format version this package writes and reads. */
export const PAYLOAD_FORMAT = 1;

/** Serialized arguments or results above this many bytes are refused unless `maxPayloadBytes` says otherwise. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 1024 * 1024;

/** A job's data, as this package writes it. */
export interface JobPayload {
  /** The format version ({@link PAYLOAD_FORMAT}). */
  readonly futures: typeof PAYLOAD_FORMAT;
  /** The task module's URL. */
  readonly module: string;
  /** The export to call. */
  readonly name: string;
  /** The arguments, encoded as described above (absent for a `map` chunk). */
  readonly args?: string;
  /**
   * A `map` chunk instead of one call: @futures/core's `TaskBatch` (each call's arguments),
   * encoded as `args` is; the job's result is then an `OutcomeGroup` (each call's result or
   * error), encoded the same way.
   */
  readonly batch?: string;
  /** The task's time limit in ms, which the worker enforces too. */
  readonly timeout?: number;
  /**
   * `true` when the submitter may ask for the task to be stopped while it runs (it has a
   * signal or a timeout): the worker then runs it with an `AbortSignal` of its own. Other tasks
   * run without one (an `AbortSignal` per job is a large part of a small job's cost on Node 20).
   */
  readonly stoppable?: true;
  /** Written by the worker when the task failed: `serializeError(error)`, encoded as `args` is. */
  readonly error?: string;
}

/** Encodes `value` (arguments or a result) for Redis; refuses what cannot be copied or is too large. */
export function encodeValue(value: unknown, limit: number, what: string): string {
  if (isPlain(value)) {
    // The common case (numbers, strings, a list of them): JSON, cheaper on both sides and
    // readable in a dashboard. `[value]`: it starts with `[`, which base64 never does.
    const text = JSON.stringify([value]);
    if (text.length * 3 <= limit || Buffer.byteLength(text) <= limit) return text;
  }
  let bytes: Buffer;
  try {
    bytes = serialize(value);
  } catch (error) {
    throw new TypeError(`${what} could not be serialized (structured clone): ${(error as Error)?.message ?? String(error)}`, { cause: error });
  }
  // base64 is what is stored: 4 characters per 3 bytes.
  const size = Math.ceil(bytes.length / 3) * 4;
  if (size > limit) {
    throw new PayloadTooLargeError(
      `${what} take ${formatBytes(size)} serialized, over the ${formatBytes(limit)} limit (maxPayloadBytes): ` +
        `store large data elsewhere (a file, S3) and pass its name, or raise maxPayloadBytes`,
      { bytes: size, limit },
    );
  }
  return bytes.toString('base64');
}

/** Decodes what {@link encodeValue} wrote. */
export function decodeValue(encoded: unknown, what: string): unknown {
  if (typeof encoded !== 'string') throw new InvalidPayloadError(`${what} is not a @futures payload (expected a string, got ${typeof encoded})`);
  try {
    if (encoded.charCodeAt(0) === 91 /* [ */) return (JSON.parse(encoded) as unknown[])[0];
    return deserialize(Buffer.from(encoded, 'base64'));
  } catch (error) {
    throw new InvalidPayloadError(`${what} could not be deserialized: ${(error as Error)?.message ?? String(error)}`, { cause: error });
  }
}

/**
 * True for values JSON carries exactly: a string, a boolean, null, a finite number other than
 * -0, or an array of those (an argument list). Anything else goes through `v8.serialize`.
 */
function isPlain(value: unknown): boolean {
  if (!Array.isArray(value)) return isPlainPrimitive(value);
  for (let i = 0; i < value.length; i++) if (!(i in value) || !isPlainPrimitive(value[i])) return false; // holes too
  return true;
}

function isPlainPrimitive(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0);
    default:
      return value === null;
  }
}

/** Checks that a job's data is a task this package wrote, and returns it typed. */
export function readPayload(data: unknown, jobId: string | undefined): JobPayload {
  const payload = data as Partial<JobPayload> | null;
  if (typeof payload !== 'object' || payload === null || payload.futures !== PAYLOAD_FORMAT || typeof payload.module !== 'string' || typeof payload.name !== 'string') {
    const found = typeof payload === 'object' && payload !== null ? `keys ${Object.keys(payload).join(', ') || '(none)'}` : typeof payload;
    throw new InvalidPayloadError(
      `job ${jobId ?? '(no id)'} is not a @futures task (its data has ${found}; expected { futures: ${PAYLOAD_FORMAT}, module, name, args }): ` +
        'was it added by another producer?',
    );
  }
  return payload as JobPayload;
}

/** `1.5 MiB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
