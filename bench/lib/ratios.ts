/**
 * Ratio columns of the throughput tables besides the baseline's: each row's median divided by
 * the median of a reference row, which a column picks per row (the best of some rows, or a row
 * that matches this one, e.g. the same chunksize in another library).
 */

/** What a ratio column sees of a row. */
export interface RatioRow {
  readonly name: string;
  /** The row's median (tasks/s, cycles/s, …). */
  readonly median: number;
}

/** A ratio column: `row median / reference median`; the reference row itself shows `1.00× (base)`. */
export interface RatioColumn {
  /** The header, or a function of the rows (e.g. to name the reference it picked). */
  readonly header: string | ((rows: readonly RatioRow[]) => string);
  /** The index of the row that row `index` is compared to, or -1 for none (the cell shows `–`). */
  readonly reference: (index: number, rows: readonly RatioRow[]) => number;
}

/** `p-limit: limit(fn) ×N` → `p-limit` (the library part of a case name). */
export function shortName(name: string): string {
  return name.split(':')[0]?.trim() ?? name;
}

const startsWithAny = (name: string, prefixes: readonly string[]): boolean => prefixes.some((prefix) => name.startsWith(prefix));

/** Index of the row with the highest median among those whose name starts with one of `prefixes`; -1 if none. */
export function bestRow(rows: readonly RatioRow[], prefixes: readonly string[]): number {
  let best = -1;
  rows.forEach((row, i) => {
    if (startsWithAny(row.name, prefixes) && (best < 0 || row.median > (rows[best] as RatioRow).median)) best = i;
  });
  return best;
}

/**
 * Compares every row to the best (highest median) of the rows whose names start with one of
 * `candidates`; the header names the one picked: `vs best Node pool (poolifier)`. Rows whose
 * names start with one of `except` get no ratio (e.g. rows of other work).
 */
export function versusBest(label: string, candidates: readonly string[], except: readonly string[] = []): RatioColumn {
  return {
    header: (rows) => {
      const best = rows[bestRow(rows, candidates)];
      return best === undefined ? `vs ${label}` : `vs ${label} (${shortName(best.name)})`;
    },
    reference: (index, rows) => (startsWithAny((rows[index] as RatioRow).name, except) ? -1 : bestRow(rows, candidates)),
  };
}

/**
 * Compares every row to the row whose name is `counterpart(name)` (exactly), or none when it
 * returns undefined or no row has that name: e.g. each `map` row to Python's with the same chunksize.
 */
export function versusCounterpart(header: string, counterpart: (name: string) => string | undefined): RatioColumn {
  return {
    header,
    reference: (index, rows) => {
      const other = counterpart((rows[index] as RatioRow).name);
      return other === undefined ? -1 : rows.findIndex((row) => row.name === other);
    },
  };
}
