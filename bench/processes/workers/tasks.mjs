// The task module of the ProcessPoolExecutor and ClusterExecutor benches, as plain JavaScript:
// no pool in the comparison gets a TypeScript loader in its children. The peers' worker files
// (workerpool.mjs, tinypool.mjs, poolifier.mjs) run the very same functions, from
// bench/lib/workers/functions.mjs (shared with the thread benches).
export { inc, spin } from '../../lib/workers/functions.mjs';
