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
const expected = args.rest.get('expected');
const samples = await runCase(item, args.tasks ?? 1, Number(option('warmup')), args.runs ?? 1, expected === undefined ? undefined : Number(expected));
await reportToParent({ samples } satisfies ChildSamples);
