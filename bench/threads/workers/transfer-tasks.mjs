// ThreadPoolExecutor's task for handing a buffer back by transfer: `transfer(value, list)` from
// @futures/worker-threads marks the result so that the listed buffers move instead of being
// copied. A module of its own, so that only the transfer scenario's workers load the package.
import { transfer } from '@futures/worker-threads';
import { touch } from '../../lib/workers/functions.mjs';

/** touch, handing the buffer back by transfer. */
export function touchTransfer(buffer) {
  return transfer(touch(buffer), [buffer]);
}
