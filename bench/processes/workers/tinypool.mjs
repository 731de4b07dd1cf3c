// tinypool's worker (runtime 'child_process': imported by tinypool's process entry): the default
// export is the task; `run(task, { name })` picks another export.
import { inc, spin } from '../../lib/workers/functions.mjs';

export default inc;
export { spin };
