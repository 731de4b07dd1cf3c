/**
 * A child process of the distributed scenario (index.ts): runs one row (warm-up, one timed run,
 * distributed/measure.ts) and reports its {@link DistributedSample} to the parent.
 */
import { parseArgs } from '../lib/args.js';
import { reportToParent } from '../lib/child.js';
import { measureCase } from './measure.js';

const args = parseArgs();
const option = (name: string): number => {
  const value = args.rest.get(name);
  if (value === undefined) throw new Error(`distributed/child: --${name} is required`);
  return Number(value);
};
const sample = await measureCase(option('index'), { tasks: args.tasks ?? 1, warmupTasks: option('warmup-tasks'), warmup: option('warmup') });
await reportToParent(sample);
