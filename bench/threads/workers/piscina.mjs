// piscina's worker: the default export is the task; `run(task, { name })` picks another export.
import { move } from 'piscina';
import { inc, spin, touch } from '../../lib/workers/functions.mjs';

export default inc;
export { spin, touch };

/** touch, handing the buffer back by transfer (Piscina.move) rather than by copy. */
export function touchMove(buffer) {
  return move(touch(buffer));
}
