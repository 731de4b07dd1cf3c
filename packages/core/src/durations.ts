/** A bounded record of recent durations with percentiles, for `executor.timing`. */

/** Percentiles of recent durations, in milliseconds. */
export interface DurationSummary {
  /** Durations recorded so far (the percentiles cover the most recent 1,024). */
  readonly count: number;
  readonly mean: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}

const WINDOW = 1024;

/** The most recent {@link WINDOW} durations in a ring buffer. */
export class Durations {
  readonly #ring = new Float64Array(WINDOW);
  #count = 0;

  /** Records one duration in ms. */
  add(ms: number): void {
    this.#ring[this.#count % WINDOW] = ms;
    this.#count++;
  }

  /** Percentiles over the recent window (zeros when nothing was recorded). */
  summary(): DurationSummary {
    const n = Math.min(this.#count, WINDOW);
    if (n === 0) return { count: 0, mean: 0, p50: 0, p90: 0, p99: 0, max: 0 };
    const sorted = this.#ring.slice(0, n).sort();
    const at = (q: number): number => round(sorted[Math.min(n - 1, Math.floor(q * n))] as number);
    let sum = 0;
    for (const value of sorted) sum += value;
    return { count: this.#count, mean: round(sum / n), p50: at(0.5), p90: at(0.9), p99: at(0.99), max: round(sorted[n - 1] as number) };
  }
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
