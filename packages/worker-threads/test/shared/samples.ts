/** Sample values for the transferable tests. */

import { BoundedSemaphore, Event, Lock, Queue, Semaphore, SharedArray, Value } from '../../src/shared/index.js';

/** One of every primitive, nested as task arguments may be. */
export function everything() {
  return {
    lock: new Lock(),
    semaphore: new Semaphore(3),
    value: new Value('d', 1.5),
    array: new SharedArray('q', [1n, 2n, 3n]),
    nested: { list: [new BoundedSemaphore(2), new Event()] as [Semaphore, Event] },
    queue: new Queue<string>(4, { capacity: 1024 }),
    plain: { n: 1, text: 'kept', when: new Date(0) },
  };
}
