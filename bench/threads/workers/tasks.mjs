// The task module of the ThreadPoolExecutor benches, as plain JavaScript: worker threads on
// Node 20 cannot load TypeScript without a loader, and no pool in the comparison gets one.
// The peers' worker files (piscina.mjs, tinypool.mjs, workerpool.mjs, poolifier.mjs) run the
// very same functions, imported from bench/lib/workers/functions.mjs (shared with the process benches).
export { inc, spin, touch } from '../../lib/workers/functions.mjs';
