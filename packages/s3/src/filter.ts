/** `include` / `exclude` glob filters on relative paths and keys (picomatch, `dot` files matched too). */
import picomatch from 'picomatch';
import type { FilterOptions } from './options.js';

/** A predicate on a relative path or key suffix (with `/` separators). */
export type EntryFilter = (relative: string) => boolean;

/** The filter for `options`: included (when `include` is given) and not excluded. */
export function createFilter(options: FilterOptions): EntryFilter {
  const include = options.include !== undefined && options.include.length > 0 ? picomatch([...options.include], { dot: true }) : undefined;
  const exclude = options.exclude !== undefined && options.exclude.length > 0 ? picomatch([...options.exclude], { dot: true }) : undefined;
  return (relative) => (include === undefined || include(relative)) && (exclude === undefined || !exclude(relative));
}

/** True for the filter of `createFilter({})`: nothing is filtered out. */
export function filtersNothing(options: FilterOptions): boolean {
  return (options.include === undefined || options.include.length === 0) && (options.exclude === undefined || options.exclude.length === 0);
}
