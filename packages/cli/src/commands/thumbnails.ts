/**
 * `futures thumbnails <input> <output> [options]`: @futures/thumbnails from the shell, with
 * flags in the style of sharp-cli and ImageMagick (`--size 256x256^`, `-q 80`, `--fit cover`).
 */
import { relative } from 'node:path';
import {
  DEFAULT_EXTENSIONS,
  DEFAULT_LIMIT_INPUT_PIXELS,
  FITS,
  FORMATS,
  defaultConcurrency,
  makeThumbnails,
  parseSize,
  type MetadataMode,
  type ThumbnailCounts,
  type ThumbnailFileResult,
  type ThumbnailFit,
  type ThumbnailFormat,
  type ThumbnailOptions,
  type ThumbnailSummary,
} from '@futures/thumbnails';
import { EXIT, UsageError, parseCommandArgs, type CommandIO, type ParsedArgs } from '../command.js';
import { formatBytes, formatDuration } from '../format.js';
import { createProgress } from '../progress.js';

const HELP = `Usage: futures thumbnails <input> <output> [options]

Make thumbnails of every image in <input> under <output>, mirroring the directory tree, with
sharp on every core. <input> is a directory (walked recursively), an image file, or a quoted
glob ("photos/**/*.jpg"). Thumbnails newer than their image are kept (use --force to redo).

Resize:
  -s, --size <geometry>      size of the thumbnails; repeat for several           [256x256]
                               256x256   fit inside 256×256, keep the aspect ratio
                               256x  x256  width or height only
                               256x256^  fill 256×256 and crop (--fit cover)
                               256x256!  exactly 256×256, ignore the aspect ratio (--fit fill)
      --fit <fit>            ${FITS.join(', ')}                    [inside]
      --position <pos>       where cover crops: centre, north, ..., attention, entropy  [centre]
      --background <colour>  letterbox colour of --fit contain                     [transparent]
      --enlarge              also scale up images smaller than the size

Output:
  -f, --format <format>      ${FORMATS.join(', ')} (jpg = jpeg); repeat for several     [webp]
  -q, --quality <1-100>      encoder quality        [JPEG 80, WebP 80, AVIF 50, PNG lossless]
      --effort <0-9>         encoder effort: WebP 0-6, AVIF 0-9, PNG compression 0-9
      --metadata <mode>      none (strip), icc (keep the colour profile), all      [none]
      --keep-metadata        the same as --metadata all
  -o, --name <template>      output path under <output>: {dir} {name} {ext} {size} {format}
                               [{dir}/{name}.{ext}; with several sizes {dir}/{name}-{size}.{ext}]
      --force                rewrite thumbnails that are up to date

Input:
      --ext <list>           extensions taken from directories and globs
                               [${DEFAULT_EXTENSIONS.join(',')}]
      --limit-input-pixels <n>
                             refuse images with more pixels than this (per file)  [${DEFAULT_LIMIT_INPUT_PIXELS}]

Run:
  -j, --concurrency <n>      images in progress at once                           [${defaultConcurrency()}: 1.5 per core]
      --vips-threads <n>     libvips threads per image                            [1]
      --json                 print the summary as JSON on stdout
      --quiet                no progress (failures are still printed)
  -h, --help                 this text

Progress goes to stderr: a bar on a terminal, one line per image otherwise. Ctrl-C stops
cleanly: images in progress are finished, nothing partial is left; press it again to quit now.

Exit status: 0 all done, 1 some images failed, 2 bad usage, 130 interrupted.

Examples:
  futures thumbnails photos thumbs
  futures thumbnails photos thumbs -s 256x256^ -s 1024x -f webp -f jpeg -q 75
  futures thumbnails "shoot/**/*.jpg" web --format avif --name "{size}/{dir}/{name}.{ext}" --json
`;

const FLAGS = {
  size: { type: 'string', short: 's', multiple: true },
  fit: { type: 'string' },
  position: { type: 'string' },
  background: { type: 'string' },
  enlarge: { type: 'boolean' },
  format: { type: 'string', short: 'f', multiple: true },
  quality: { type: 'string', short: 'q' },
  effort: { type: 'string' },
  metadata: { type: 'string' },
  'keep-metadata': { type: 'boolean' },
  name: { type: 'string', short: 'o' },
  force: { type: 'boolean' },
  ext: { type: 'string' },
  'limit-input-pixels': { type: 'string' },
  concurrency: { type: 'string', short: 'j' },
  'vips-threads': { type: 'string' },
  json: { type: 'boolean' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ParsedArgs<typeof FLAGS>['values'];

/** Runs the command; resolves to the exit code. */
export async function run(argv: readonly string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, FLAGS);
  if (values.help === true) {
    io.stdout.write(HELP);
    return EXIT.ok;
  }
  if (positionals.length !== 2) throw new UsageError(`expected <input> and <output>, got ${positionals.length} argument${positionals.length === 1 ? '' : 's'}`);
  const [input, output] = positionals as [string, string];

  const progress = createProgress(io, values.quiet === true || values.json === true ? 'none' : 'auto');
  const controller = new AbortController();
  let interrupted = false;
  const unsubscribe = io.onInterrupt(() => {
    interrupted = true;
    progress.message('interrupted: finishing the images in progress (Ctrl-C again to quit now)');
    controller.abort(new Error('interrupted'));
  });
  let counts: ThumbnailCounts | undefined;
  const failures: ThumbnailSummary['failures'][number][] = [];
  let started = false;
  const options: ThumbnailOptions = {
    ...toOptions(values),
    input,
    output,
    signal: controller.signal,
    onProgress: (update) => {
      if (!started) progress.start(update.total);
      started = true;
      counts = update;
      if (update.file.status === 'failed') failures.push({ input: update.file.input, error: update.file.error });
      progress.tick(update.done, describeFile(update.file), update.failed, update.file.status === 'failed');
    },
  };
  const begin = performance.now();
  let summary: ThumbnailSummary | undefined;
  try {
    summary = await makeThumbnails(options);
  } catch (error) {
    if (!interrupted) {
      if (!(error instanceof TypeError || error instanceof RangeError) && (error as { code?: unknown }).code === 'ERR_THUMBNAIL_INPUT_NOT_FOUND') {
        throw new UsageError((error as Error).message);
      }
      throw error;
    }
  } finally {
    progress.stop();
    unsubscribe();
  }
  const final = summary ?? { ...(counts ?? emptyCounts()), failures, durationMs: performance.now() - begin, executor: '' };
  if (values.json === true) io.stdout.write(`${JSON.stringify(toJson(final, interrupted), null, 2)}\n`);
  else io.stdout.write(`${humanSummary(final, interrupted)}\n`);
  if (interrupted) return EXIT.interrupted;
  return final.failed > 0 ? EXIT.someFailed : EXIT.ok;
}

/** The library options from the flags; bad values throw UsageError/TypeError/RangeError naming the flag. */
function toOptions(values: Values): Omit<ThumbnailOptions, 'input' | 'output'> {
  const metadata = values['keep-metadata'] === true ? 'all' : values.metadata;
  return {
    ...(values.size ? { sizes: values.size.map((size) => parseSize(size, '--size')) } : {}),
    ...(values.format ? { format: values.format.map(format) } : {}),
    ...(values.fit === undefined ? {} : { fit: values.fit as ThumbnailFit }),
    ...(values.position === undefined ? {} : { position: values.position }),
    ...(values.background === undefined ? {} : { background: values.background }),
    ...(values.enlarge === true ? { enlarge: true } : {}),
    ...(values.quality === undefined ? {} : { quality: integer('--quality', values.quality) }),
    ...(values.effort === undefined ? {} : { effort: integer('--effort', values.effort) }),
    ...(metadata === undefined ? {} : { metadata: metadata as MetadataMode }),
    ...(values.name === undefined ? {} : { outputName: values.name }),
    ...(values.force === true ? { force: true } : {}),
    ...(values.ext === undefined ? {} : { extensions: values.ext.split(',').map((e) => e.trim()).filter(Boolean) }),
    ...(values['limit-input-pixels'] === undefined ? {} : { limitInputPixels: integer('--limit-input-pixels', values['limit-input-pixels']) }),
    ...(values.concurrency === undefined ? {} : { concurrency: integer('--concurrency', values.concurrency) }),
    ...(values['vips-threads'] === undefined ? {} : { libvipsThreads: integer('--vips-threads', values['vips-threads']) }),
  };
}

function format(text: string): ThumbnailFormat {
  const name = text.toLowerCase() === 'jpg' ? 'jpeg' : text.toLowerCase();
  if (!FORMATS.includes(name as ThumbnailFormat)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')} (or jpg), got ${JSON.stringify(text)}`);
  return name as ThumbnailFormat;
}

function integer(flag: string, text: string): number {
  const value = Number(text.replaceAll('_', ''));
  if (text.trim() === '' || !Number.isInteger(value)) throw new UsageError(`${flag} expects a whole number, got ${JSON.stringify(text)}`);
  return value;
}

function display(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') ? path : rel;
}

function describeFile(file: ThumbnailFileResult): string {
  switch (file.status) {
    case 'processed':
      return `${display(file.input)} → ${file.written.length} thumbnail${file.written.length === 1 ? '' : 's'} (${formatBytes(file.bytesOut)})`;
    case 'skipped':
      return `${display(file.input)}: up to date`;
    case 'failed':
      return `FAILED ${display(file.input)}: ${file.error.message} [${file.error.code}]`;
  }
}

function emptyCounts(): ThumbnailCounts {
  return { total: 0, done: 0, processed: 0, skipped: 0, failed: 0, outputs: 0, bytesIn: 0, bytesOut: 0 };
}

function humanSummary(summary: ThumbnailSummary, interrupted: boolean): string {
  const rate = summary.durationMs > 0 ? ((summary.processed + summary.skipped + summary.failed) / summary.durationMs) * 1000 : 0;
  return [
    `${interrupted ? `interrupted after ${summary.done} of ${summary.total} images: ` : ''}${summary.processed} processed, ${summary.skipped} up to date, ${summary.failed} failed`,
    `${summary.outputs} thumbnails written, ${formatBytes(summary.bytesIn)} in → ${formatBytes(summary.bytesOut)} out, in ${formatDuration(summary.durationMs)} (${rate.toFixed(1)} images/s)`,
    ...summary.failures.map(({ input, error }) => `  failed: ${display(input)}: ${error.code}`),
  ].join('\n');
}

function toJson(summary: ThumbnailSummary, interrupted: boolean): Record<string, unknown> {
  return {
    interrupted,
    total: summary.total,
    processed: summary.processed,
    skipped: summary.skipped,
    failed: summary.failed,
    outputs: summary.outputs,
    bytesIn: summary.bytesIn,
    bytesOut: summary.bytesOut,
    durationMs: Math.round(summary.durationMs),
    failures: summary.failures.map(({ input, error }) => ({ input, code: error.code, message: error.message })),
  };
}
