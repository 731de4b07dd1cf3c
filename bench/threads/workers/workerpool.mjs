// workerpool's worker: methods registered by name, called with pool.exec(name, [args]).
import workerpool from 'workerpool';
import { inc, spin, touch } from '../../lib/workers/functions.mjs';

workerpool.worker({ inc, spin, touch });
