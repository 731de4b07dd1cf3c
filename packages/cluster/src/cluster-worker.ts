/** The `cluster.fork` implementation of the engine's `WorkerProcess`. */
import cluster, { type ClusterSettings, type Worker } from 'node:cluster';
import { ChildProcessWorker, childStdio, type LaunchSpec, type WorkerProcess } from '@futures/child-process/pool';

/** A pool child that is a `cluster` worker: it can share the primary's server ports. */
export class ClusterWorker extends ChildProcessWorker {
  /** Wraps a forked cluster worker (its `process` is the ChildProcess). */
  constructor(readonly worker: Worker) {
    super(worker.process);
  }

  /** The cluster way: the worker closes its servers, then its channel, then exits. */
  override close(): void {
    if (this.worker.isConnected()) this.worker.disconnect();
  }
}

/**
 * Starts a pool child with `cluster.fork`. The primary's cluster settings (`exec`, `execArgv`,
 * ...) are set for this fork only and restored afterwards, so an application that forks its own
 * cluster workers keeps its settings.
 */
export function clusterFork(spec: LaunchSpec): WorkerProcess {
  if (!cluster.isPrimary) throw new Error('ClusterExecutor runs in the cluster primary; in a cluster worker, use ProcessPoolExecutor');
  const previous: ClusterSettings = { ...cluster.settings };
  cluster.setupPrimary({
    exec: spec.entry,
    args: [],
    execArgv: [...spec.execArgv],
    serialization: 'advanced',
    stdio: childStdio(spec.output),
    silent: spec.output !== 'inherit',
  });
  try {
    return new ClusterWorker(cluster.fork(spec.env === undefined ? {} : spec.env));
  } finally {
    (cluster as { settings: ClusterSettings }).settings = previous;
  }
}
