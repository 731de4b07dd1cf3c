/**
 * Runs every example in tutorial order, each under a heading naming the seed tutorial and the
 * section it ports: `pnpm demo` (or `npx tsx demo.ts` here). Run one alone with
 * `npx tsx src/<name>.ts`.
 */
import { EXAMPLES, SEEDS } from './src/catalog.ts';

const start = performance.now();
for (const [index, example] of EXAMPLES.entries()) {
  console.log(`\n=== ${index + 1}. ${example.title}  (src/${example.name}.ts)`);
  console.log(`    from: ${SEEDS[example.seed]}, "${example.section}"\n`);
  await example.main((...args: unknown[]) => console.log(...args));
}
console.log(`\n${EXAMPLES.length} examples ran in ${((performance.now() - start) / 1000).toFixed(2)} s`);
