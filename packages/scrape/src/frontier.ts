/**
 * The crawl frontier: URLs found and not yet requested, first in first out (breadth first).
 *
 * Memory stays bounded however large the site: at most `memoryLimit` entries live in memory.
 * Past that, new entries are appended to a temporary file (one JSON line each, written in
 * batches), and read back in order, a batch at a time, once the entries in memory are used up.
 * The file is deleted when the crawl ends. Together with the set of URLs already seen (one
 * 53-bit hash per URL, see `hashUrl`) and the bounded buffers of the scheduler, a crawl of a
 * million pages holds a few tens of MB whatever its breadth.
 */
import { closeSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';

/** One URL waiting to be requested. */
export interface FrontierEntry {
  /** The normalised URL. */
  readonly url: string;
  /** Its depth. */
  readonly depth: number;
  /** Where it was found. */
  readonly parent: string | undefined;
  /** Position in `fetchAll`'s input. */
  readonly index: number | undefined;
}

const WRITE_BATCH = 512;
const READ_CHUNK = 1 << 20;

/** A FIFO queue of entries that spills to disk past `memoryLimit`. */
export class Frontier {
  readonly #memoryLimit: number;
  readonly #dir: string;
  /** Entries in memory: the head of the queue. */
  #memory: FrontierEntry[] = [];
  #head = 0;
  /** Entries spilled and not written yet (the tail, in order). */
  #writeBuffer: string[] = [];
  #file: { path: string; fd: number; writeOffset: number; readOffset: number; pending: string } | undefined;
  /** Entries on disk or in the write buffer. */
  #spilled = 0;
  /** Entries ever spilled. */
  spilledTotal = 0;

  /** @param memoryLimit entries kept in memory, @param dir where the spill file goes. */
  constructor(memoryLimit: number, dir: string) {
    this.#memoryLimit = memoryLimit;
    this.#dir = dir;
  }

  /** Entries waiting, in memory and on disk. */
  get length(): number {
    return this.#memory.length - this.#head + this.#spilled;
  }

  /** Adds an entry at the tail. */
  push(entry: FrontierEntry): void {
    if (this.#spilled === 0 && this.#memory.length - this.#head < this.#memoryLimit) {
      this.#memory.push(entry);
      return;
    }
    // Once anything is spilled, everything after it goes to disk too, to keep the order.
    this.#writeBuffer.push(JSON.stringify([entry.url, entry.depth, entry.parent ?? null, entry.index ?? null]));
    this.#spilled++;
    this.spilledTotal++;
    if (this.#writeBuffer.length >= WRITE_BATCH) this.#flush();
  }

  /** Takes the entry at the head, or `undefined` when empty. */
  shift(): FrontierEntry | undefined {
    if (this.#head === this.#memory.length) {
      this.#memory = [];
      this.#head = 0;
      if (this.#spilled === 0) return undefined;
      this.#refill();
    }
    const entry = this.#memory[this.#head];
    this.#memory[this.#head++] = undefined as unknown as FrontierEntry; // let it be collected
    if (this.#head > 4096 && this.#head * 2 > this.#memory.length) {
      this.#memory = this.#memory.slice(this.#head);
      this.#head = 0;
    }
    return entry;
  }

  /** Deletes the spill file. */
  close(): void {
    if (this.#file !== undefined) {
      closeSync(this.#file.fd);
      rmSync(this.#file.path, { force: true });
      this.#file = undefined;
    }
    this.#writeBuffer = [];
    this.#memory = [];
    this.#head = 0;
    this.#spilled = 0;
  }

  #flush(): void {
    if (this.#writeBuffer.length === 0) return;
    if (this.#file === undefined) {
      const path = join(this.#dir, `futures-scrape-frontier-${randomUUID()}.jsonl`);
      this.#file = { path, fd: openSync(path, 'w+', 0o600), writeOffset: 0, readOffset: 0, pending: '' };
    }
    const data = Buffer.from(`${this.#writeBuffer.join('\n')}\n`);
    this.#writeBuffer = [];
    writeSync(this.#file.fd, data, 0, data.length, this.#file.writeOffset);
    this.#file.writeOffset += data.length;
  }

  /** Moves up to `memoryLimit` spilled entries back into memory, in order. */
  #refill(): void {
    const file = this.#file;
    const want = Math.max(1, Math.min(this.#memoryLimit, this.#spilled));
    if (file !== undefined) {
      const buffer = Buffer.allocUnsafe(READ_CHUNK);
      while (this.#memory.length < want && (file.readOffset < file.writeOffset || file.pending !== '')) {
        const newline = file.pending.indexOf('\n');
        if (newline === -1) {
          if (file.readOffset >= file.writeOffset) break;
          const read = readSync(file.fd, buffer, 0, Math.min(READ_CHUNK, file.writeOffset - file.readOffset), file.readOffset);
          file.readOffset += read;
          file.pending += buffer.toString('utf8', 0, read);
          continue;
        }
        this.#memory.push(decode(file.pending.slice(0, newline)));
        file.pending = file.pending.slice(newline + 1);
      }
      if (file.readOffset >= file.writeOffset && file.pending === '') {
        // Everything written has been read back: start the file afresh.
        file.readOffset = file.writeOffset = 0;
      }
    }
    // Then the entries not written yet, which come after everything on disk.
    while (this.#memory.length < want && this.#writeBuffer.length > 0 && (file === undefined || file.writeOffset === 0)) {
      this.#memory.push(decode(this.#writeBuffer.shift() as string));
    }
    this.#spilled -= this.#memory.length;
  }
}

function decode(line: string): FrontierEntry {
  const [url, depth, parent, index] = JSON.parse(line) as [string, number, string | null, number | null];
  return { url, depth, parent: parent ?? undefined, index: index ?? undefined };
}
