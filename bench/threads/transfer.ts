/**
 * Scenario 5: 1 MiB ArrayBuffer round trips. Four chains (two per thread) each send a buffer to
 * a worker, which counts the trip in its first word and returns it; the returned buffer goes out
 * again. Copy (structured clone both ways) vs transfer (the buffer is moved, not copied).
 *
 * ThreadPoolExecutor moves arguments with `submitWith({ transfer: [buffer] }, …)` and results
 * when the task returns `transfer(value, [buffer])` (@futures/worker-threads); piscina with
 * `Piscina.move` on both sides.
 */
import { chains } from '../lib/drivers.js';
import type { Scenario } from '../lib/scenario.js';
import { throughputScenario, type ThroughputCase } from '../lib/throughput.js';
import { WORKERS, openPool, ours, piscina, type PoolLibrary, type Transfer } from './pools.js';
import { formatInteger } from '../lib/format.js';

/** Bytes per buffer. */
export const BUFFER_BYTES = 1 << 20;

/** Round trips in flight. */
const CHAINS = 2 * WORKERS;

function roundTrips(library: PoolLibrary, transfer: Transfer, label: string, baseline = false): ThroughputCase {
  return {
    name: `${library.name}: ${label}`,
    baseline,
    open: () =>
      openPool(library, async (pool, n) => {
        const buffers = await chains(n, CHAINS, () => new ArrayBuffer(BUFFER_BYTES), async (buffer) => {
          const back = await pool.touch(buffer, transfer);
          if (transfer !== 'copy' && buffer.byteLength !== 0) throw new Error(`${library.name}: the buffer was copied to the worker, not moved`);
          if (back.byteLength !== BUFFER_BYTES) throw new Error(`${library.name}: got ${back.byteLength} bytes back`);
          return back;
        });
        // Every trip added 1 to the first word of the buffer it carried.
        return buffers.reduce((sum, buffer) => sum + (new Uint32Array(buffer, 0, 1)[0] as number), 0);
      }),
  };
}

/** The cases: exported, because every case runs in child processes that import this module (lib/throughput-child.ts). */
export const transferCases: readonly ThroughputCase[] = [
  roundTrips(piscina, 'copy', 'run(buffer): copy both ways', true),
  roundTrips(piscina, 'both', 'run(Piscina.move(buffer)), returns Piscina.move(buffer): move both ways'),
  roundTrips(ours, 'copy', 'submit(task, buffer): copy both ways'),
  roundTrips(ours, 'in', 'submitWith({ transfer: [buffer] }, task, buffer): move in, copy back'),
  roundTrips(ours, 'both', 'submitWith({ transfer: [buffer] }, …), returns transfer(buffer, [buffer]): move both ways'),
];

export const transferScenario: Scenario = throughputScenario({
  id: 'threads.transfer',
  title: '1 MiB ArrayBuffer round trips: copy vs transfer',
  heading: (trips) => `(5) ${formatInteger(trips)} round trips of a 1 MiB ArrayBuffer, ${CHAINS} in flight; ${WORKERS} worker threads`,
  source: { module: new URL(import.meta.url), exportName: 'transferCases' },
  tasks: { full: 1000, quick: 200 },
  ownSize: true,
  expectedChecksum: (n) => n,
  rounds: { full: 3, quick: 2 },
  runsPerProcess: 2,
  warmupTasks: (trips) => trips / 10,
  units: { items: 'round trips', rate: 'trips/s (median)', per: { header: 'µs/trip', scale: 1e6, digits: 0 } },
  notes: [
    'Each trip: the main thread sends the buffer, the worker adds 1 to its first 32-bit word and returns it, and the buffer that',
    'comes back is sent again. The cases that move the buffer to the worker check that the sent buffer was detached.',
  ],
});
