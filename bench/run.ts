/**
 * The bench entry point: `pnpm bench` (from the repository root) or, in bench/,
 * `npx tsx --expose-gc run.ts [--quick] [--only=async,async.window] [--runs=N] [--tasks=N] [--in-process]`.
 */
import { asyncScenarios } from './async/index.js';
import { isSelected, parseArgs } from './lib/args.js';
import { formatDuration } from './lib/format.js';
import { formatMachineInfo } from './lib/machine.js';
import type { BenchContext, Scenario } from './lib/scenario.js';

/** Every scenario, in the order they run. Later benches (worker threads, processes, recipes) add theirs here. */
const scenarios: readonly Scenario[] = [...asyncScenarios];

const HELP = `Usage: tsx --expose-gc run.ts [options]

  --quick          fewer runs (3) and smaller inputs: a smoke test, not numbers to publish
  --only=IDS       comma-separated scenario ids or prefixes, e.g. --only=async or --only=async.window
  --runs=N         rounds per case: fresh processes (or, with --in-process, timed runs)
                   per case; the table shows their median (default 7; 3 with --quick)
  --tasks=N        tasks per run in throughput scenarios (default 100,000)
  --in-process     run throughput cases interleaved in this process instead of a fresh
                   process per case and round (faster; libraries share one JIT and heap)
  --case=TEXT      only the throughput cases whose name contains TEXT (e.g. to profile one)
  --help           this text

Scenarios:
${scenarios.map((s) => `  ${s.id.padEnd(18)} ${s.title}`).join('\n')}
`;

async function main(): Promise<void> {
  const args = parseArgs();
  if (args.help) {
    console.log(HELP);
    return;
  }
  const selected = scenarios.filter((s) => isSelected(s.id, args.only));
  if (selected.length === 0) throw new Error(`--only=${args.only.join(',')} matches no scenario; ids: ${scenarios.map((s) => s.id).join(', ')}`);
  const context: BenchContext = { args, runs: args.runs ?? (args.quick ? 3 : 7), warmup: 1, runsPerProcess: args.quick ? 1 : 3 };

  console.log(`@futures bench${args.quick ? ' (--quick: smoke test, do not publish these numbers)' : ''}`);
  console.log(`${formatMachineInfo()}\n`);
  const start = performance.now();
  for (const scenario of selected) await scenario.run(context);
  console.log(`done in ${formatDuration(performance.now() - start)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
