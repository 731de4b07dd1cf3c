/** The `child_process.fork` implementation of the engine's {@link WorkerProcess}. */
import { fork, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import type { ExitInfo, LaunchSpec, WorkerProcess } from './pool/worker-process.js';

/**
 * A pool child on a ChildProcess (also used by @futures/cluster, whose `cluster.Worker` wraps
 * one): messages, exit after the channel closed, ref/unref of every handle.
 */
export class ChildProcessWorker implements WorkerProcess {
  #exitHandler: ((exit: ExitInfo) => void) | undefined;
  #exit: ExitInfo | undefined;
  #ended = false;

  /** Wraps a child forked with an IPC channel. */
  constructor(readonly child: ChildProcess) {
    // The end is reported once the process exited, its IPC channel closed (every message it
    // sent was delivered) and its piped output ended. (Node's 'close' does not fire when the
    // parent itself closed the channel.)
    let waiting = 2;
    const one = (): void => {
      if (--waiting === 0 && this.#exit !== undefined) this.#end(this.#exit);
    };
    child.once('exit', (exitCode, signal) => {
      this.#exit = { exitCode, signal };
      one();
    });
    if (child.connected) child.once('disconnect', one);
    else one();
    for (const stream of [child.stdout, child.stderr]) {
      if (stream === null) continue;
      waiting++;
      stream.once('close', one);
    }
    // A send racing the child's death, or a failed spawn: never an unhandled 'error' in the parent.
    child.on('error', () => {
      if (child.pid === undefined) this.#end({ exitCode: null, signal: null });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get stdout(): Socket | null {
    return this.child.stdout as Socket | null;
  }

  get stderr(): Socket | null {
    return this.child.stderr as Socket | null;
  }

  send(message: unknown): void {
    if (!this.child.connected) return; // it is dying: its exit settles what it ran
    this.child.send(message as never);
  }

  onMessage(handler: (message: unknown) => void): void {
    this.child.on('message', handler);
  }

  onExit(handler: (exit: ExitInfo) => void): void {
    this.#exitHandler = handler;
  }

  close(): void {
    if (this.child.connected) this.child.disconnect();
  }

  kill(signal: NodeJS.Signals): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
  }

  ref(): void {
    this.child.ref();
    (this.child.channel as { ref?: () => void } | null | undefined)?.ref?.();
    this.stdout?.ref();
    this.stderr?.ref();
  }

  unref(): void {
    this.child.unref();
    (this.child.channel as { unref?: () => void } | null | undefined)?.unref?.();
    this.stdout?.unref();
    this.stderr?.unref();
  }

  #end(exit: ExitInfo): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#exitHandler?.(exit);
  }
}

/** The stdio of a pool child: no stdin; output inherited, piped or ignored; the IPC channel. */
export function childStdio(output: LaunchSpec['output']): ['ignore', 'inherit' | 'pipe' | 'ignore', 'inherit' | 'pipe' | 'ignore', 'ipc'] {
  return ['ignore', output, output, 'ipc'];
}

/** Starts a pool child with `child_process.fork`. */
export function forkWorker(spec: LaunchSpec): WorkerProcess {
  const child = fork(spec.entry, [], {
    execArgv: [...spec.execArgv],
    serialization: 'advanced',
    stdio: childStdio(spec.output),
    ...(spec.env === undefined ? {} : { env: spec.env as NodeJS.ProcessEnv }),
  });
  return new ChildProcessWorker(child);
}
