/**
 * A child process of {@link measureThroughput}: imports the cases, runs one of them (warm-up,
 * then timed runs) and reports tasks/s of each timed run to the parent.
 */
import { parseArgs } from './args.js';
import { reportToParent } from './child.js';
import { loadCases, runCase, type ChildSamples } from './throughput.js';

const args = parseArgs();
const option = (name: string): string => {
  const value = args.rest.get(name);
  if (value === undefined) throw new Error(`throughput-child: --${name} is required`);
  return value;
};
const cases = await loadCases({ module: new URL(option('module')), exportName: option('export') });
const item = cases[Number(option('index'))];
if (item === undefined) throw new Error(`throughput-child: no case ${option('index')}`);
const tasks = args.tasks ?? 1;
/** The parent sends the checksums of a timed run and of a warm-up run. */
function expectedFor(): ((n: number) => number) | undefined {
  const timed = args.rest.get('expected');
  const warmup = args.rest.get('warmup-expected');
  if (timed === undefined) return undefined;
  return (n) => Number(n === tasks ? timed : (warmup ?? timed));
}
const warmupTasks = args.rest.get('warmup-tasks');
const budget = args.rest.get('budget-ms');
const samples = await runCase(item, {
  tasks,
  warmup: Number(option('warmup')),
  warmupTasks: warmupTasks === undefined ? tasks : Number(warmupTasks),
  runs: args.runs ?? 1,
  budgetMs: budget === undefined ? undefined : Number(budget),
  expectedFor: expectedFor(),
});
await reportToParent({ samples } satisfies ChildSamples);
