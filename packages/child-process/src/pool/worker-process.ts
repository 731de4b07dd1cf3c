/**
 * The one small interface between the process-pool engine and a way of starting processes
 * (tinypool-style): `child_process.fork` in @futures/child-process, `cluster.fork` in
 * @futures/cluster. Everything else (scheduling, batching, crashes, timeouts, output, shutdown)
 * lives once in the engine.
 */
import type { Readable } from 'node:stream';

/** How a child process ended: Node's `'exit'` arguments. */
export interface ExitInfo {
  /** The exit code, when the child exited by itself. */
  readonly exitCode: number | null;
  /** The signal that ended the child, when one did. */
  readonly signal: NodeJS.Signals | null;
}

/** One child process, as the engine drives it. */
export interface WorkerProcess {
  /** The operating-system process id (`undefined` if the process could not be spawned). */
  readonly pid: number | undefined;
  /** The child's stdout when the launch piped it (`output: 'forward' | 'prefix'`), else `null`. */
  readonly stdout: Readable | null;
  /** The child's stderr when the launch piped it, else `null`. */
  readonly stderr: Readable | null;
  /**
   * Sends one message over the IPC channel (structured clone: `serialization: 'advanced'`).
   * Throws synchronously when the message cannot be copied.
   */
  send(message: unknown): void;
  /** Sets the handler of every message the child sends. */
  onMessage(handler: (message: unknown) => void): void;
  /**
   * Sets the handler of the child's end. Called once, after the process exited **and** its IPC
   * channel closed, so every message it sent before dying has been delivered.
   */
  onExit(handler: (exit: ExitInfo) => void): void;
  /** Asks the child to exit once idle: closes its IPC channel (a pool child exits on disconnect). */
  close(): void;
  /** Sends a signal to the child (no-op when it is gone). */
  kill(signal: NodeJS.Signals): void;
  /** The child (its process handle, IPC channel and pipes) keeps the parent's event loop alive. */
  ref(): void;
  /** The child no longer keeps the parent alive (an idle pool does not hold a script open). */
  unref(): void;
}

/** What the engine asks a launcher to start. */
export interface LaunchSpec {
  /** Absolute path of the child entry module (the engine's `child.js`). */
  readonly entry: string;
  /** Node options of the child. */
  readonly execArgv: readonly string[];
  /** The child's environment; `undefined` keeps the parent's. */
  readonly env: Readonly<Record<string, string | undefined>> | undefined;
  /** `'inherit'`: the parent's stdout/stderr; `'pipe'`: readable streams the engine forwards; `'ignore'`: discarded. */
  readonly output: 'inherit' | 'pipe' | 'ignore';
}

/** Starts one child process with an IPC channel and `serialization: 'advanced'`. */
export type WorkerLauncher = (spec: LaunchSpec) => WorkerProcess;
