/**
 * Progress display shared by the commands: a bar (cli-progress) on a terminal, one plain line
 * per item otherwise (logs, CI, pipes), nothing with `--quiet`. Messages (failures) are printed
 * above the bar without breaking it.
 */
import cliProgress from 'cli-progress';
import type { CommandIO } from './command.js';

/** What a command reports to. */
export interface Progress {
  /** Called once the total is known. */
  start(total: number): void;
  /** One item done: `line` is the plain-text line for it; `failed` counts failures so far; a failure's line is always shown. */
  tick(done: number, line: string, failed: number, isFailure: boolean): void;
  /** A message that must be seen (e.g. a failure), above the bar. */
  message(text: string): void;
  /** Removes the bar. */
  stop(): void;
}

/** True when stderr is a terminal that can redraw a line (not CI, not `TERM=dumb`). */
export function isLiveTerminal(io: CommandIO): boolean {
  return io.stderr.isTTY === true && io.env.CI === undefined && io.env.TERM !== 'dumb';
}

/** The display for `io`: `'bar'` on a terminal, `'lines'` otherwise, `'none'` when quiet. */
export function createProgress(io: CommandIO, mode: 'auto' | 'none'): Progress {
  if (mode === 'none') {
    const print = (text: string): void => void io.stderr.write(`${text}\n`);
    return { start() {}, tick: (_done, line, _failed, isFailure) => isFailure && print(line), message: print, stop() {} };
  }
  if (isLiveTerminal(io)) return barProgress(io);
  return lineProgress(io);
}

function lineProgress(io: CommandIO): Progress {
  let total = 0;
  return {
    start: (n) => void (total = n),
    tick: (done, line) => void io.stderr.write(`[${String(done).padStart(String(total).length)}/${total}] ${line}\n`),
    message: (text) => void io.stderr.write(`${text}\n`),
    stop() {},
  };
}

function barProgress(io: CommandIO): Progress {
  const multibar = new cliProgress.MultiBar(
    {
      stream: io.stderr as NodeJS.WriteStream,
      format: ' {bar} {percentage}% | {value}/{total} images | {failed} failed | {eta_formatted} left',
      barCompleteChar: '█',
      barIncompleteChar: '░',
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 50,
      fps: 10,
    },
    cliProgress.Presets.shades_classic,
  );
  let bar: cliProgress.SingleBar | undefined;
  return {
    start: (total) => void (bar = multibar.create(total, 0, { failed: 0 })),
    tick: (done, line, failed, isFailure) => {
      if (isFailure) multibar.log(`${line}\n`);
      bar?.update(done, { failed });
    },
    message: (text) => multibar.log(`${text}\n`),
    stop: () => multibar.stop(),
  };
}

/**
 * One status line redrawn in place on a terminal (`\r`, at most every 100 ms unless forced),
 * with messages (failures) printed above it without breaking it.
 */
export interface StatusLine {
  /** Sets the line; drawn now if `force` or 100 ms passed since the last draw. */
  set(text: string, force?: boolean): void;
  /** Prints `text` above the line, then redraws it. */
  message(text: string): void;
  /** Clears the line. */
  stop(): void;
}

/** A {@link StatusLine} on `io.stderr` (a terminal), cut to its width. */
export function createStatusLine(io: CommandIO): StatusLine {
  const write = (text: string): void => void io.stderr.write(text);
  let line = '';
  let last = 0;
  const draw = (): void => {
    if (line !== '') write(`\r\x1b[K${line.slice(0, (io.stderr.columns ?? 100) - 1)}`);
  };
  return {
    set(text, force = false) {
      line = text;
      const now = performance.now();
      if (force || now - last >= 100) {
        last = now;
        draw();
      }
    },
    message(text) {
      write(`\r\x1b[K${text}\n`);
      draw();
    },
    stop() {
      if (line !== '') write('\r\x1b[K');
      line = '';
    },
  };
}
