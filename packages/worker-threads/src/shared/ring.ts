/**
 * The byte ring buffer behind `Queue`: a header of `Int32Array` cells followed by the data
 * bytes. Each item is a frame: its length (4 bytes, little-endian) then its bytes, wrapping
 * around the end of the data. `writeFrame` / `readFrame` run with the header's mutex held.
 */

/**
 * Header cells. MUTEX guards the others but UNFINISHED; SEQ changes on every put, get and close
 * (waiters wait on it); UNFINISHED counts items put and not yet marked done (`join` waits on it).
 */
export const MUTEX = 0;
export const SEQ = 1;
export const COUNT = 2;
export const HEAD = 3;
export const USED = 4;
export const MAXSIZE = 5;
export const CLOSED = 6;
export const WAITERS = 7;
export const UNFINISHED = 8;

/** Bytes before the data (room for the cells above, rounded up to 8). */
export const HEADER_BYTES = 40;
/** Bytes of a frame's length prefix. */
export const PREFIX_BYTES = 4;

/** A queue's shared state seen through typed arrays. */
export interface Ring {
  readonly header: Int32Array;
  readonly data: Uint8Array;
}

/** Views over a queue buffer. */
export function ringOf(buffer: SharedArrayBuffer): Ring {
  return { header: new Int32Array(buffer, 0, HEADER_BYTES / 4), data: new Uint8Array(buffer, HEADER_BYTES) };
}

/** Free bytes in the data area. */
export function freeBytes(ring: Ring): number {
  return ring.data.length - Atomics.load(ring.header, USED);
}

/** Appends `payload` as a frame. The caller holds the mutex and has checked there is room. */
export function writeFrame(ring: Ring, payload: Uint8Array): void {
  const { header, data } = ring;
  const used = Atomics.load(header, USED);
  const prefix = new Uint8Array(PREFIX_BYTES);
  new DataView(prefix.buffer).setUint32(0, payload.length, true);
  const at = copyIn(data, (Atomics.load(header, HEAD) + used) % data.length, prefix);
  copyIn(data, at, payload);
  Atomics.store(header, USED, used + PREFIX_BYTES + payload.length);
  Atomics.add(header, COUNT, 1);
  Atomics.add(header, SEQ, 1);
}

/** Removes and returns the oldest frame's bytes (a copy). The caller holds the mutex and has checked COUNT > 0. */
export function readFrame(ring: Ring): Uint8Array {
  const { header, data } = ring;
  const head = Atomics.load(header, HEAD);
  const prefix = copyOut(data, head, PREFIX_BYTES);
  const length = new DataView(prefix.buffer).getUint32(0, true);
  const payload = copyOut(data, (head + PREFIX_BYTES) % data.length, length);
  const used = Atomics.load(header, USED) - PREFIX_BYTES - length;
  Atomics.store(header, USED, used);
  Atomics.store(header, HEAD, used === 0 ? 0 : (head + PREFIX_BYTES + length) % data.length);
  Atomics.sub(header, COUNT, 1);
  Atomics.add(header, SEQ, 1);
  return payload;
}

function copyIn(data: Uint8Array, at: number, bytes: Uint8Array): number {
  const first = Math.min(bytes.length, data.length - at);
  data.set(bytes.subarray(0, first), at);
  if (first < bytes.length) data.set(bytes.subarray(first), 0);
  return (at + bytes.length) % data.length;
}

function copyOut(data: Uint8Array, at: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  const first = Math.min(length, data.length - at);
  out.set(data.subarray(at, at + first));
  if (first < length) out.set(data.subarray(0, length - first), first);
  return out;
}
