// tinypool's worker: the default export is the task; `run(task, { name })` picks another export.
import { inc, spin, touch } from '../../lib/workers/functions.mjs';

export default inc;
export { spin, touch };
