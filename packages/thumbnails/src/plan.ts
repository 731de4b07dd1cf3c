/**
 * From input files to jobs: the output paths of every thumbnail (the input tree mirrored under
 * the output directory, named by `outputName`), and the collisions, found before anything is
 * written: two inputs that would write the same file (`a.jpg` and `a.png` both to `a.webp`),
 * or an output that would overwrite an input, fail those inputs instead of overwriting silently.
 */
import { dirname, extname, basename, join, relative, resolve, sep, isAbsolute } from 'node:path';
import { OutputCollisionError } from './errors.js';
import type { InputFile } from './inputs.js';
import type { JobSettings, OutputSpec, ThumbnailFormat, ThumbnailJob } from './job.js';
import type { ResolvedOptions } from './options.js';

const EXTENSIONS: Record<ThumbnailFormat, string> = { jpeg: 'jpg', png: 'png', webp: 'webp', avif: 'avif' };

/** The jobs in input order, and the inputs that cannot run because of a collision. */
export interface Plan {
  readonly jobs: readonly ThumbnailJob[];
  readonly collisions: ReadonlyMap<string, OutputCollisionError>;
}

/** Case-insensitive file systems (macOS, Windows by default) see `A.webp` and `a.webp` as one file. */
const foldCase = process.platform === 'darwin' || process.platform === 'win32';
const key = (path: string): string => (foldCase ? path.toLowerCase() : path);

/** Plans every job; `settings` are shared by all of them. */
export function planJobs(files: readonly InputFile[], options: ResolvedOptions, settings: JobSettings): Plan {
  const jobs = files.map((file): ThumbnailJob => ({ input: file.path, outputs: outputsOf(file, options), settings }));
  const writers = new Map<string, string[]>();
  for (const job of jobs) {
    for (const output of job.outputs) {
      const list = writers.get(key(output.path)) ?? [];
      if (!list.includes(job.input)) list.push(job.input);
      writers.set(key(output.path), list);
    }
  }
  const inputs = new Set(files.map((file) => key(file.path)));
  const collisions = new Map<string, OutputCollisionError>();
  for (const job of jobs) {
    for (const output of job.outputs) {
      if (collisions.has(job.input)) break;
      const others = (writers.get(key(output.path)) ?? []).filter((input) => input !== job.input);
      if (others.length > 0) {
        collisions.set(
          job.input,
          new OutputCollisionError(`${job.input} and ${others.join(', ')} would both write ${output.path}: neither is written (rename one, or put {format}/{ext} of the input in outputName)`, { output: output.path, others }, { input: job.input }),
        );
      } else if (inputs.has(key(output.path))) {
        collisions.set(job.input, new OutputCollisionError(`the thumbnail ${output.path} of ${job.input} would overwrite an input file: choose another output directory or outputName`, { output: output.path, others: [output.path] }, { input: job.input }));
      }
    }
  }
  return { jobs, collisions };
}

/** The output files of one input: one per size and format. */
function outputsOf(file: InputFile, options: ResolvedOptions): OutputSpec[] {
  const dir = dirname(file.relative);
  const name = basename(file.relative, extname(file.relative));
  const outputs: OutputSpec[] = [];
  for (const size of options.sizes) {
    for (const format of options.formats) {
      const values: Record<string, string> = { dir: dir === '.' ? '' : dir, name, ext: EXTENSIONS[format], size: size.name, format };
      const rendered = options.outputName.replace(/\{(\w+)\}/g, (_, placeholder: string) => values[placeholder] ?? '');
      const path = resolve(join(options.output, rendered));
      const rel = relative(options.output, path);
      if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) {
        throw new RangeError(`outputName ${JSON.stringify(options.outputName)} puts the thumbnail of ${file.path} at ${path}, outside the output directory ${options.output}`);
      }
      outputs.push({ path, width: size.width, height: size.height, fit: size.fit, format });
    }
  }
  return outputs;
}
