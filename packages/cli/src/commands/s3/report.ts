/**
 * What `futures s3` shows: progress on stderr (a live status line on a terminal, a line per
 * object otherwise, failures always), the planned actions of a dry run and the summary on stdout
 * (human, or `--json`).
 */
import { relative } from 'node:path';
import type { ObjectOutcome, PlannedAction, S3Location, TransferProgress, TransferSummary } from '@futures/s3';
import type { CommandIO } from '../../command.js';
import { formatDuration, formatIecBytes } from '../../format.js';
import { createStatusLine, isLiveTerminal } from '../../progress.js';

const MiB = 1024 * 1024;
/** Off a terminal, runs of up to this many objects get one line per object; longer ones a line per 1 %. */
export const LINES_PER_OBJECT_UP_TO = 1000;
/** Failures (and skipped entries) listed in the human summary; `--json` has them all. */
export const MAX_LISTED = 20;

/** A local path as the user would type it: relative to the working directory when under it. */
export function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === '' ? '.' : rel.startsWith('..') ? path : rel;
}

function where(text: string): string {
  return text.startsWith('s3://') ? text : displayPath(text);
}

/**
 * Describes a finished object as `aws s3` does (`upload: docs/a.txt to s3://b/p/docs/a.txt`),
 * given the S3 sides of the run (their prefixes as directories).
 */
export function objectDescriber(src: S3Location | undefined, dst: S3Location | undefined): (object: ObjectOutcome) => string {
  return (object) => {
    switch (object.action) {
      case 'upload':
        return `upload: ${object.path === undefined ? object.key : displayPath(object.path)} to s3://${dst?.bucket ?? ''}/${object.key}`;
      case 'download':
        return `download: s3://${src?.bucket ?? ''}/${object.key}${object.path === undefined ? '' : ` to ${displayPath(object.path)}`}`;
      case 'copy': {
        const target = src !== undefined && dst !== undefined && object.key.startsWith(src.prefix) ? ` to s3://${dst.bucket}/${dst.prefix}${object.key.slice(src.prefix.length)}` : '';
        return `copy: s3://${src?.bucket ?? ''}/${object.key}${target}`;
      }
      case 'delete':
        return `delete: ${object.path === undefined ? `s3://${dst?.bucket ?? ''}/${object.key}` : displayPath(object.path)}`;
      case 'unchanged':
        return `unchanged: ${object.key}`;
    }
  };
}

/** `(dryrun) upload: a.txt to s3://b/p/a.txt`, as `aws s3 --dryrun` prints it. */
export function describeAction(action: PlannedAction): string {
  return `(dryrun) ${action.action}: ${action.from === undefined ? '' : `${where(action.from)} to `}${where(action.to)}`;
}

/** Where progress goes. */
export interface S3Display {
  /** Before the first object: what is being listed (on a terminal only). */
  begin(text: string): void;
  /** Every progress report of the library. */
  progress(progress: TransferProgress): void;
  /** A message that must be seen, above the status line. */
  message(text: string): void;
  /** Clears the status line. */
  stop(): void;
}

function rate(bytesPerSecond: number): string {
  return `${(bytesPerSecond / MiB).toFixed(1)} MiB/s`;
}

/** `done/total` counting the objects to do (those found unchanged are not shown as progress). */
function counter(progress: TransferProgress): string {
  const total = progress.objectsTotal - progress.unchanged;
  return `${String(progress.objectsDone - progress.unchanged).padStart(String(total).length)}/${total}`;
}

function eta(progress: TransferProgress): string {
  let seconds: number | undefined;
  if (progress.bytesTotal > 0 && progress.bytesPerSecond > 0) seconds = (progress.bytesTotal - progress.bytesDone) / progress.bytesPerSecond;
  else if (progress.objectsPerSecond > 0) seconds = (progress.objectsTotal - progress.objectsDone) / progress.objectsPerSecond;
  if (seconds === undefined || !Number.isFinite(seconds)) return '--';
  const whole = Math.ceil(Math.max(0, seconds));
  if (whole < 60) return `${whole}s`;
  if (whole < 3600) return `${Math.floor(whole / 60)}m${String(whole % 60).padStart(2, '0')}s`;
  return `${Math.floor(whole / 3600)}h${String(Math.floor((whole % 3600) / 60)).padStart(2, '0')}m`;
}

/** `21.0/114.4 MiB` (or `512.0 KiB/1.2 GiB` when the units differ). */
function bytesOf(done: number, total: number): string {
  const [doneText, totalText] = [formatIecBytes(done), formatIecBytes(total)];
  const unit = totalText.slice(totalText.indexOf(' '));
  return doneText.endsWith(unit) ? `${doneText.slice(0, -unit.length)}/${totalText}` : `${doneText}/${totalText}`;
}

/** The live status line: objects, bytes, rates, failures, ETA. */
export function statusLine(progress: TransferProgress): string {
  return [
    `${counter(progress)} objects`,
    bytesOf(progress.bytesDone, progress.bytesTotal),
    `${progress.objectsPerSecond.toFixed(1)} obj/s`,
    rate(progress.bytesPerSecond),
    `${progress.failed} failed`,
    `ETA ${eta(progress)}`,
  ].join(' | ');
}

function failureLine(object: ObjectOutcome, describe: (object: ObjectOutcome) => string): string {
  const error = object.error;
  return `FAILED ${describe(object)}: ${error?.code ?? ''} ${error?.message ?? ''}`;
}

/**
 * The display for `io`: a status line redrawn at most 10 times a second on a terminal; off one
 * (logs, CI, pipes) a line per finished object, or for runs of more than
 * {@link LINES_PER_OBJECT_UP_TO} objects a progress line per 1 %; with `quiet`, failures only.
 */
export function createS3Display(io: CommandIO, quiet: boolean, describe: (object: ObjectOutcome) => string): S3Display {
  const write = (text: string): void => void io.stderr.write(text);
  if (quiet) {
    return {
      begin() {},
      progress: (progress) => progress.object?.error !== undefined && write(`${failureLine(progress.object, describe)}\n`),
      message: (text) => write(`${text}\n`),
      stop() {},
    };
  }
  if (!isLiveTerminal(io)) {
    let nextMark = 0;
    return {
      begin() {},
      progress(progress) {
        const object = progress.object;
        if (object === undefined) return;
        if (object.error !== undefined) return write(`${failureLine(object, describe)}\n`);
        const total = progress.objectsTotal - progress.unchanged;
        if (total <= LINES_PER_OBJECT_UP_TO) return write(`[${counter(progress)}] ${describe(object)} (${formatIecBytes(object.size)})\n`);
        const done = progress.objectsDone - progress.unchanged;
        if (done < nextMark && done < total) return;
        nextMark = done + Math.ceil(total / 100);
        write(`[${counter(progress)}] ${bytesOf(progress.bytesDone, progress.bytesTotal)}, ${progress.objectsPerSecond.toFixed(1)} objects/s, ${rate(progress.bytesPerSecond)}, ${progress.failed} failed, ETA ${eta(progress)}\n`);
      },
      message: (text) => write(`${text}\n`),
      stop() {},
    };
  }
  const status = createStatusLine(io);
  return {
    begin: (text) => status.set(text, true),
    progress(progress) {
      if (progress.object?.error !== undefined) status.message(failureLine(progress.object, describe));
      status.set(statusLine(progress), progress.objectsDone === progress.objectsTotal);
    },
    message: (text) => status.message(text),
    stop: () => status.stop(),
  };
}

function heading(summary: TransferSummary): string {
  const arrow = summary.operation === 'remove' ? where(summary.source) : `${where(summary.source)} → ${where(summary.destination)}`;
  return `${summary.operation} ${arrow}`;
}

/**
 * The human summary: transferred, unchanged, deleted, failed; bytes, time and rates; then each
 * failure as `key: code message` (at most {@link MAX_LISTED}, then "... and N more") and the
 * entries left out (links out of the tree, the same object twice).
 */
export function humanSummary(summary: TransferSummary): string {
  const lines: string[] = [];
  if (summary.dryRun) {
    const bytes = summary.actions.reduce((sum, action) => sum + (action.action === 'delete' ? 0 : action.size), 0);
    lines.push(
      `(dryrun) ${heading(summary)}: ${summary.transferred} to transfer (${formatIecBytes(bytes)}), ${summary.unchanged} unchanged, ${summary.deleted} to delete, ${summary.failed} failed; nothing was changed`,
    );
  } else {
    lines.push(`${summary.interrupted ? 'interrupted: ' : ''}${heading(summary)}: ${summary.transferred} transferred, ${summary.unchanged} unchanged, ${summary.deleted} deleted, ${summary.failed} failed`);
    lines.push(`${formatIecBytes(summary.bytes)} in ${formatDuration(summary.durationMs)} (${summary.objectsPerSecond.toFixed(1)} objects/s, ${rate(summary.bytesPerSecond)})`);
  }
  for (const failure of summary.failures.slice(0, MAX_LISTED)) lines.push(`  failed: ${failure.key}: ${failure.code} ${failure.message}`);
  if (summary.failures.length > MAX_LISTED) lines.push(`  ... and ${summary.failures.length - MAX_LISTED} more failed`);
  for (const entry of summary.skipped.slice(0, MAX_LISTED)) lines.push(`  skipped: ${entry.name}: ${entry.reason}`);
  if (summary.skipped.length > MAX_LISTED) lines.push(`  ... and ${summary.skipped.length - MAX_LISTED} more skipped`);
  return lines.join('\n');
}

/** The `--json` summary: the library's summary (all failures, skipped entries, a dry run's actions), rates rounded. */
export function jsonSummary(command: string, summary: TransferSummary): Record<string, unknown> {
  return {
    command,
    ...summary,
    durationMs: Math.round(summary.durationMs),
    objectsPerSecond: Math.round(summary.objectsPerSecond * 10) / 10,
    bytesPerSecond: Math.round(summary.bytesPerSecond),
  };
}
