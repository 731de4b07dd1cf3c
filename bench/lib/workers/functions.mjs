// The work every pool of the thread and process benches runs, for ES modules: the functions are
// written once, in functions.cjs (CommonJS worker files require them too).
export { inc, spin, touch } from './functions.cjs';
