/**
 * Finding the input files: a directory tree, a glob, files, or a list of these. Each file comes
 * with its path relative to the root of the tree it belongs to, which is mirrored under the
 * output directory.
 */
import { opendir, stat } from 'node:fs/promises';
import { dirname, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import { InputNotFoundError } from './errors.js';

/** One input file. */
export interface InputFile {
  /** Absolute path. */
  readonly path: string;
  /** Path relative to its root, with the platform's separators (e.g. `2024/beach.jpg`). */
  readonly relative: string;
}

/** How to look for input files. */
export interface FindOptions {
  /** Extensions (lower case, with the dot) taken from directories and globs. */
  readonly extensions: ReadonlySet<string>;
  /** Root of the mirrored tree for every input; default: per input (see `ThumbnailOptions.base`). */
  readonly base: string | undefined;
  /** A directory never entered (the output directory, when it lies inside an input tree). */
  readonly exclude: string;
}

/** Every input file, in a stable order (each input in turn; a tree sorted by path), each once. */
export async function findInputs(inputs: readonly string[], options: FindOptions): Promise<InputFile[]> {
  const found: { path: string; root: string | undefined }[] = [];
  const explicit: string[] = [];
  for (const input of inputs) {
    const path = resolve(input);
    const info = await stat(path).catch(() => undefined);
    if (info?.isDirectory()) {
      for (const file of await walk(path, options)) found.push({ path: file, root: path });
    } else if (info?.isFile()) {
      explicit.push(path);
      found.push({ path, root: undefined });
    } else if (isDynamicPattern(input.replaceAll('\\', '/'))) {
      const pattern = input.replaceAll('\\', '/');
      const matches = (await glob(pattern, { absolute: true, onlyFiles: true, dot: false, expandDirectories: false }))
        .map((file) => resolve(file))
        .filter((file) => wanted(file, options) && !isInside(file, options.exclude))
        .sort();
      if (matches.length === 0) throw new InputNotFoundError(`input glob ${JSON.stringify(input)} matched no image file (extensions ${[...options.extensions].join(' ')})`);
      const root = resolve(globBase(pattern));
      for (const file of matches) found.push({ path: file, root });
    } else {
      throw new InputNotFoundError(`input ${JSON.stringify(input)} does not exist (expected a directory, a file or a glob)`, { input: path });
    }
  }
  const explicitRoot = options.base ?? commonDirectory(explicit);
  const seen = new Set<string>();
  const files: InputFile[] = [];
  for (const { path, root } of found) {
    if (seen.has(path)) continue;
    seen.add(path);
    const from = options.base ?? root ?? explicitRoot;
    const rel = relative(from, path);
    if (rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) {
      throw new RangeError(`base (${from}) must contain every input, but ${path} is outside it`);
    }
    files.push({ path, relative: rel });
  }
  return files;
}

/** The files under `dir` with a wanted extension, hidden entries and `exclude` skipped, sorted. */
async function walk(dir: string, options: FindOptions): Promise<string[]> {
  const files: string[] = [];
  const pending = [dir];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (next === options.exclude) continue;
    for await (const entry of await opendir(next)) {
      if (entry.name.startsWith('.')) continue;
      const path = join(next, entry.name);
      if (entry.isDirectory()) pending.push(path);
      else if (entry.isFile() && wanted(path, options)) files.push(path);
    }
  }
  return files.sort();
}

function wanted(file: string, options: FindOptions): boolean {
  return options.extensions.has(extname(file).toLowerCase());
}

function isInside(file: string, dir: string): boolean {
  return file.startsWith(dir + sep);
}

/** The directory part of a glob before its first dynamic segment: `photos/2024` for `photos/2024/**\/*.jpg`. */
function globBase(pattern: string): string {
  const segments = pattern.split('/');
  const fixed: string[] = [];
  for (const segment of segments.slice(0, -1)) {
    if (isDynamicPattern(segment)) break;
    fixed.push(segment);
  }
  return fixed.length === 0 ? '.' : fixed.join('/') || '/';
}

/** The deepest directory containing every file (their own directory for one file). */
function commonDirectory(files: readonly string[]): string {
  if (files.length === 0) return process.cwd();
  let common = dirname(files[0] as string);
  for (const file of files) {
    while (!isInside(file, common) && common !== dirname(common)) common = dirname(common);
  }
  return common;
}
