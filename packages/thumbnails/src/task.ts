/**
 * The task of @futures/thumbnails: makes every thumbnail of one input file with sharp. It runs
 * wherever the executor runs tasks (the event loop, a worker thread, a child process), so it
 * takes and returns plain data, and reports a problem with the file in its outcome instead of
 * throwing.
 *
 * The input is read once into memory. When several sizes shrink it, it is decoded once into a
 * raw copy at the largest size's scale and every size is made from that (`resample.ts`);
 * otherwise each size decodes it, and JPEG/WebP decoders shrink while decoding. Outputs are encoded to memory,
 * written to a temporary dot file in the output's directory, and renamed over the final name, so
 * that a thumbnail is either complete or absent.
 */
import { mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import sharp, { type Metadata, type OutputInfo, type Sharp } from 'sharp';
import type { FailureData } from './errors.js';
import { planSharedDecode, type OutputResize } from './resample.js';
import { tempPath, type JobOutcome, type JobSettings, type OutputSpec, type ThumbnailJob, type WrittenOutput } from './job.js';

sharp.cache(false); // a batch touches each file once: libvips' operation cache only holds memory
let vipsThreads = 0;

/** Thrown inside this module only: a failure to report in the outcome. */
class FileFailure extends Error {
  constructor(readonly data: FailureData) {
    super(data.message);
  }
}

/**
 * Makes the thumbnails of `job.input` that are missing or older than the input (all of them
 * with `settings.force`). Never rejects for a problem with the file: see {@link JobOutcome}.
 */
export async function thumbnailFile(job: ThumbnailJob): Promise<JobOutcome> {
  let bytesIn = 0;
  try {
    const { settings } = job;
    if (vipsThreads !== settings.libvipsThreads) sharp.concurrency((vipsThreads = settings.libvipsThreads));
    const source = await stat(job.input).catch((error: unknown) => fail('ERR_THUMBNAIL_READ_FAILED', `cannot read ${job.input}`, error));
    bytesIn = source.size;
    const upToDate = settings.force ? [] : await upToDateOutputs(job.outputs, source.mtimeMs);
    const pending = job.outputs.filter((output) => !upToDate.includes(output.path));
    if (pending.length === 0) return { status: 'skipped', bytesIn, upToDate };
    const data = await readFile(job.input).catch((error: unknown) => fail('ERR_THUMBNAIL_READ_FAILED', `cannot read ${job.input}`, error));
    bytesIn = data.length;
    const meta = await checkHeader(data, job.input, settings);
    const shared = planSharedDecode(pending, meta, settings);
    const copy = shared === undefined ? undefined : await decodeCopy(data, job.input, shared, settings);
    const written: WrittenOutput[] = [];
    for (const output of pending) {
      const resize = shared?.fromCopy.get(output);
      const source: Source = copy !== undefined && resize !== undefined ? { copy, resize } : { data };
      written.push(await writeOutput(source, job.input, output, settings));
    }
    return { status: 'processed', bytesIn, written, upToDate };
  } catch (error) {
    const failure: FailureData =
      error instanceof FileFailure ? error.data : { code: 'ERR_THUMBNAIL_TASK_FAILED', message: `unexpected error on ${job.input}: ${messageOf(error)}`, cause: messageOf(error) };
    return { status: 'failed', bytesIn, failure };
  }
}

/** The outputs that exist and are at least as new as the input. */
async function upToDateOutputs(outputs: readonly OutputSpec[], inputMtime: number): Promise<string[]> {
  const fresh: string[] = [];
  for (const output of outputs) {
    const info = await stat(output.path).catch(() => undefined);
    if (info !== undefined && info.isFile() && info.mtimeMs >= inputMtime) fresh.push(output.path);
  }
  return fresh;
}

/** What an output is made from: the file's bytes, or the shared raw copy with the output's resize. */
type Source = { readonly data: Buffer } | { readonly copy: RawCopy; readonly resize: OutputResize };

interface RawCopy {
  readonly data: Buffer;
  readonly info: { readonly width: number; readonly height: number; readonly channels: 1 | 2 | 3 | 4 };
}

/** Decodes the input once, oriented and scaled to the shared copy's size. */
async function decodeCopy(data: Buffer, input: string, shared: { width: number; height: number }, settings: JobSettings): Promise<RawCopy> {
  try {
    const { data: pixels, info } = await sharp(data, { limitInputPixels: settings.limitInputPixels, autoOrient: true, sequentialRead: true })
      .resize({ width: shared.width, height: shared.height, fit: 'fill' })
      .raw()
      .toBuffer({ resolveWithObject: true });
    return { data: pixels, info: { width: info.width, height: info.height, channels: info.channels } };
  } catch (error) {
    throw sharpFailure(error, input);
  }
}

/** Reads the header only: refuses non-images and images over the pixel limit before decoding any pixel. */
async function checkHeader(data: Buffer, input: string, settings: JobSettings): Promise<Metadata> {
  if (data.length === 0) fail('ERR_THUMBNAIL_UNSUPPORTED_INPUT', `${input} is empty (0 bytes)`);
  let meta: Metadata;
  try {
    meta = await sharp(data, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw sharpFailure(error, input);
  }
  const { width = 0, height = 0, format = 'unknown' } = meta;
  const pixels = width * height;
  if (pixels > settings.limitInputPixels) {
    fail(
      'ERR_THUMBNAIL_INPUT_TOO_LARGE',
      `${input} is a ${width}×${height} ${format} (${megapixels(pixels)} MP), over limitInputPixels (${megapixels(settings.limitInputPixels)} MP): refused before decoding`,
    );
  }
  return meta;
}

/** Encodes one thumbnail and writes it atomically. */
async function writeOutput(source: Source, input: string, output: OutputSpec, settings: JobSettings): Promise<WrittenOutput> {
  let encoded: { data: Buffer; info: OutputInfo };
  try {
    encoded = await pipeline(source, output, settings).toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw sharpFailure(error, input);
  }
  const temp = tempPath(output.path, settings.tempTag);
  try {
    await mkdir(dirname(output.path), { recursive: true });
    await writeFile(temp, encoded.data);
    await rename(temp, output.path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    fail('ERR_THUMBNAIL_WRITE_FAILED', `cannot write ${output.path}`, error);
  }
  return { path: output.path, width: encoded.info.width, height: encoded.info.height, bytes: encoded.data.length };
}

/** The sharp pipeline of one output: orient, resize, keep what metadata was asked for, encode. */
function pipeline(source: Source, output: OutputSpec, settings: JobSettings): Sharp {
  const common = { position: settings.position, background: settings.background };
  let image =
    'copy' in source
      ? sharp(source.copy.data, { raw: source.copy.info }).resize({ width: source.resize.width, height: source.resize.height, fit: source.resize.fit, ...common })
      : sharp(source.data, { limitInputPixels: settings.limitInputPixels, autoOrient: true, sequentialRead: true }).resize({
          ...(output.width === undefined ? {} : { width: output.width }),
          ...(output.height === undefined ? {} : { height: output.height }),
          fit: output.fit,
          ...common,
          withoutEnlargement: !settings.enlarge,
        });
  if (settings.metadata === 'all') image = image.keepMetadata();
  else if (settings.metadata === 'icc') image = image.keepIccProfile();
  const { quality, effort } = settings;
  const q = quality === undefined ? {} : { quality };
  switch (output.format) {
    case 'jpeg':
      return image.jpeg({ ...q, mozjpeg: false });
    case 'png':
      return image.png({ ...(effort === undefined ? {} : { compressionLevel: effort }), ...(quality === undefined ? {} : { palette: true, quality }) });
    case 'webp':
      return image.webp({ ...q, ...(effort === undefined ? {} : { effort }) });
    case 'avif':
      return image.avif({ ...q, ...(effort === undefined ? {} : { effort }) });
  }
}

/** Sorts a sharp error into the three things that can be wrong with an input. */
function sharpFailure(error: unknown, input: string): FileFailure {
  const message = messageOf(error);
  if (/pixel limit/i.test(message)) {
    return new FileFailure({ code: 'ERR_THUMBNAIL_INPUT_TOO_LARGE', message: `${input} is over limitInputPixels: ${message}`, cause: message });
  }
  if (/unsupported image format|buffer is empty|bad seek|not a known file format/i.test(message)) {
    return new FileFailure({ code: 'ERR_THUMBNAIL_UNSUPPORTED_INPUT', message: `${input} is not an image sharp can read (${message})`, cause: message });
  }
  return new FileFailure({ code: 'ERR_THUMBNAIL_CORRUPT_INPUT', message: `${input} is corrupt or truncated: ${message}`, cause: message });
}

function fail(code: FailureData['code'], message: string, cause?: unknown): never {
  throw new FileFailure({ code, message: cause === undefined ? message : `${message}: ${messageOf(cause)}`, ...(cause === undefined ? {} : { cause: messageOf(cause) }) });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function megapixels(pixels: number): string {
  return (pixels / 1e6).toFixed(pixels < 1e7 ? 1 : 0);
}
