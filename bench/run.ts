/**
 * The bench entry point: `pnpm bench` (from the repository root) or, in bench/,
 * `npx tsx --expose-gc run.ts [--quick] [--only=async,async.window] [--runs=N] [--tasks=N] [--in-process]`.
 */
import { asyncScenarios } from './async/index.js';
import { isSelected, parseArgs } from './lib/args.js';
import { threadScenarios } from './threads/index.js';
import { thumbnailScenarios } from './thumbnails/index.js';
import { scrapeScenarios } from './scrape/index.js';
import { processScenarios } from './processes/index.js';
import { s3Scenarios } from './s3/index.js';
import { distributedScenarios } from './distributed/index.js';
import { formatDuration } from './lib/format.js';
import { formatLoad, formatMachineInfo } from './lib/machine.js';
import type { BenchContext, Scenario } from './lib/scenario.js';

/** Every scenario, in the order they run. Later benches (processes, recipes) add theirs here. */
const scenarios: readonly Scenario[] = [...asyncScenarios, ...threadScenarios, ...thumbnailScenarios, ...scrapeScenarios, ...processScenarios, ...s3Scenarios, ...distributedScenarios];

const HELP = `Usage: tsx --expose-gc run.ts [options]

  --quick          fewer runs (3) and smaller inputs: a smoke test, not numbers to publish
  --only=IDS       comma-separated scenario ids or prefixes, e.g. --only=threads or --only=async.window
  --runs=N         rounds per case: fresh processes (or, with --in-process, timed runs)
                   per case; the table shows their median (default 7, threads.* 3;
                   with --quick 3, threads.* 2)
  --tasks=N        tasks per run in the trivial-task scenarios (default 100,000;
                   threads.window 50,000); not the CPU, transfer and cold-start ones
  --in-process     run throughput cases interleaved in this process instead of a fresh
                   process per case and round (faster; libraries share one JIT and heap)
  --case=TEXT      only the throughput cases whose name contains TEXT (e.g. to profile one);
                   A|B: those that contain A or B, e.g. --case='ThreadPool|piscina'
  --help           this text

Scenarios:
${scenarios.map((s) => `  ${s.id.padEnd(20)} ${s.title}`).join('\n')}
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
  for (const scenario of selected) {
    const began = performance.now();
    await scenario.run(context);
    if (selected.length > 1) console.log(`(${scenario.id}: ${formatDuration(performance.now() - began)})\n`);
  }
  console.log(`done in ${formatDuration(performance.now() - start)}; ${formatLoad()}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
