/** Memory sampling: snapshots of RSS and V8 heap use, and the peaks seen. */
import { formatBytes } from './format.js';
import { collectGarbage, gcAvailable } from './gc.js';

/** One memory snapshot. */
export interface MemorySample {
  /** A label, e.g. how many items were processed when it was taken. */
  readonly label: string;
  /** Milliseconds since the tracker started. */
  readonly ms: number;
  readonly rss: number;
  readonly heapUsed: number;
  /** Heap use right after a full GC (what is really alive), when the sample asked for it. */
  readonly liveHeap: number | undefined;
}

/** Takes labelled samples and tracks peak RSS and heap use (also between labelled samples, via {@link MemoryTracker.poll}). */
export class MemoryTracker {
  readonly samples: MemorySample[] = [];
  peakRss = 0;
  peakHeapUsed = 0;
  readonly #start = performance.now();

  /** Updates the peaks without recording a sample (cheap enough to call every few thousand items). */
  poll(): { rss: number; heapUsed: number } {
    const usage = process.memoryUsage();
    if (usage.rss > this.peakRss) this.peakRss = usage.rss;
    if (usage.heapUsed > this.peakHeapUsed) this.peakHeapUsed = usage.heapUsed;
    return usage;
  }

  /** Time spent in the full GCs of `sample(label, { live: true })`, to subtract from timings. */
  gcMs = 0;

  /**
   * Records a labelled sample (and updates the peaks). With `live`, also runs a full GC and
   * records the heap that is really alive (the GC time is added to {@link MemoryTracker.gcMs}).
   */
  sample(label: string, options: { live?: boolean } = {}): MemorySample {
    const usage = this.poll();
    let liveHeap: number | undefined;
    if (options.live === true && gcAvailable) {
      const start = performance.now();
      collectGarbage();
      liveHeap = process.memoryUsage().heapUsed;
      this.gcMs += performance.now() - start;
    }
    const sample = { label, ms: performance.now() - this.#start, rss: usage.rss, heapUsed: usage.heapUsed, liveHeap };
    this.samples.push(sample);
    return sample;
  }

  /** The process's peak resident set size as the OS counted it (covers moments between samples). */
  static maxRss(): number {
    return process.resourceUsage().maxRSS * 1024;
  }
}

export { formatBytes };
