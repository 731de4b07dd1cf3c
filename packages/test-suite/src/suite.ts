import type { ExecutorCapabilities } from '@futures/core';
import type { CreateExecutor, GroupContext, SuiteGroup, SuiteOptions, TestFunction } from './context.js';
import { abortTests, cancelTests, taskTimeoutTests } from './groups/cancel.js';
import { errorTests } from './groups/errors.js';
import { mapTests } from './groups/map.js';
import { queueTests, settleTests, statsTests } from './groups/settle.js';
import { shutdownTests } from './groups/shutdown.js';
import { submitTests } from './groups/submit.js';
import { transportTests } from './groups/transport.js';
import { waitingTests } from './groups/waiting.js';

const GROUPS: Record<SuiteGroup, (context: GroupContext) => void> = {
  submit: submitTests,
  errors: errorTests,
  map: mapTests,
  cancel: cancelTests,
  abort: abortTests,
  taskTimeout: taskTimeoutTests,
  queue: queueTests,
  shutdown: shutdownTests,
  waiting: waitingTests,
  settle: settleTests,
  stats: statsTests,
  transport: transportTests,
};

/**
 * Registers the whole conformance suite with the runner's `it`. Every test builds a fresh
 * executor with `createExecutor` and shuts it down at the end, so no test depends on another.
 * Tests are named `<group>: <behaviour>`; the groups in `options.skip` are registered as
 * skipped. What a backend cannot do is read from its `capabilities`.
 */
export function executorTestSuite(it: TestFunction, createExecutor: CreateExecutor, options: SuiteOptions = {}): void {
  const scale = options.timeScale ?? 1;
  if (!(scale > 0)) throw new RangeError(`timeScale must be > 0, got ${scale}`);
  const skip = new Set(options.skip ?? []);
  for (const group of skip) {
    if (!(group in GROUPS)) throw new TypeError(`unknown suite group ${JSON.stringify(group)}; groups: ${Object.keys(GROUPS).join(', ')}`);
  }
  const caps = options.capabilities ?? probeCapabilities(createExecutor);
  for (const [group, register] of Object.entries(GROUPS) as [SuiteGroup, (context: GroupContext) => void][]) {
    const skipped = skip.has(group);
    register({
      caps,
      ms: (ms) => Math.round(ms * scale),
      test(name, executorOptions, body) {
        const fullName = `${group}: ${name}`;
        const run = async (): Promise<void> => {
          const executor = await createExecutor(executorOptions);
          try {
            await body(executor);
          } finally {
            await executor.shutdown({ cancelFutures: true });
          }
        };
        if (skipped) (it.skip ?? (() => undefined))(fullName, run);
        else it(fullName, run, 15_000 * scale);
      },
    });
  }
}

function probeCapabilities(createExecutor: CreateExecutor): ExecutorCapabilities {
  const probe = createExecutor({ maxWorkers: 1 });
  if (probe instanceof Promise) {
    throw new TypeError('createExecutor returned a promise: pass options.capabilities so that the suite can choose its tests');
  }
  const caps = probe.capabilities;
  void probe.shutdown().catch(() => undefined);
  return caps;
}
