/**
 * Runs every example in tutorial order, each under a heading naming the seed tutorial and the
 * section it ports: `pnpm demo` (or `npx tsx demo.ts` here). Run one alone with
 * `npx tsx src/<name>.ts`. An example whose server is not installed here (redis-server for
 * `distributed-thumbnails.ts`) prints why it is skipped instead.
 */
import { EXAMPLES, SEEDS } from './src/catalog.ts';

const start = performance.now();
let skipped = 0;
for (const [index, example] of EXAMPLES.entries()) {
  console.log(`\n=== ${index + 1}. ${example.title}  (src/${example.name}.ts)`);
  console.log(`    from: ${SEEDS[example.seed]}, "${example.section}"\n`);
  // An example that needs a server this machine lacks (redis-server) says so instead of failing.
  const missing = example.unavailable?.();
  if (missing !== undefined) {
    console.log(`skipped: ${missing}`);
    skipped++;
    continue;
  }
  await example.main((...args: unknown[]) => console.log(...args));
}
const ran = `${EXAMPLES.length - skipped} examples ran${skipped === 0 ? '' : ` (${skipped} skipped)`}`;
console.log(`\n${ran} in ${((performance.now() - start) / 1000).toFixed(2)} s`);
