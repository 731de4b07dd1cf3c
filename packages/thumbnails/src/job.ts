/**
 * What travels between `makeThumbnails` and its task: one job per input file, as plain data
 * (structured-clone and JSON safe, so every backend can carry it), and the outcome the task
 * returns. The task never throws for a problem with a file: it reports it in the outcome.
 */
import { basename, dirname, join } from 'node:path';
import type { FailureData } from './errors.js';
import type { ThumbnailFit } from './geometry.js';

/** The output formats. */
export type ThumbnailFormat = 'jpeg' | 'png' | 'webp' | 'avif';

/** Every {@link ThumbnailFormat}, for validation and help texts. */
export const FORMATS: readonly ThumbnailFormat[] = ['webp', 'jpeg', 'png', 'avif'];

/** What to keep of the input's metadata (EXIF, XMP, IPTC, ICC profile). */
export type MetadataMode = 'none' | 'icc' | 'all';

/** One output file of a job. */
export interface OutputSpec {
  /** Absolute path of the thumbnail. */
  readonly path: string;
  readonly width: number | undefined;
  readonly height: number | undefined;
  readonly fit: ThumbnailFit;
  readonly format: ThumbnailFormat;
}

/** Settings shared by every job of a run. */
export interface JobSettings {
  /** Encoder quality 1–100; `undefined`: each encoder's default. */
  readonly quality: number | undefined;
  /** Encoder effort (WebP 0–6, AVIF 0–9, PNG compression level 0–9); `undefined`: default. */
  readonly effort: number | undefined;
  /** Where `cover`/`contain` anchors the image (sharp's `position`). */
  readonly position: string;
  /** Background of `contain` letterboxing. */
  readonly background: string;
  /** Whether images smaller than the box are scaled up. */
  readonly enlarge: boolean;
  readonly metadata: MetadataMode;
  /** Pixels (width × height) above which an input is refused. */
  readonly limitInputPixels: number;
  /** libvips threads per image (`sharp.concurrency`). */
  readonly libvipsThreads: number;
  /** Rewrite outputs even when they are newer than their input. */
  readonly force: boolean;
  /** Unique to the run: temporary files are `<dir>/.<name>.<tempTag>.tmp`. */
  readonly tempTag: string;
}

/** One input file and the thumbnails to make from it. */
export interface ThumbnailJob {
  /** Absolute path of the input. */
  readonly input: string;
  readonly outputs: readonly OutputSpec[];
  readonly settings: JobSettings;
}

/** One output written by a job. */
export interface WrittenOutput {
  readonly path: string;
  readonly width: number;
  readonly height: number;
  readonly bytes: number;
}

/** What the task returns for a job. */
export type JobOutcome =
  | {
      /** At least one output was written (the others, if any, were up to date). */
      readonly status: 'processed';
      readonly bytesIn: number;
      readonly written: readonly WrittenOutput[];
      /** Outputs left alone because they were newer than the input. */
      readonly upToDate: readonly string[];
    }
  | { readonly status: 'skipped'; readonly bytesIn: number; readonly upToDate: readonly string[] }
  | { readonly status: 'failed'; readonly bytesIn: number; readonly failure: FailureData };

/** The temporary file an output is first written to (a dot file in the output's directory, so the rename is atomic). */
export function tempPath(output: string, tempTag: string): string {
  return join(dirname(output), `.${basename(output)}.${tempTag}.tmp`);
}
