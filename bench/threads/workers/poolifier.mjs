// poolifier's worker: a ThreadWorker with named task functions; the first one is the default.
import { ThreadWorker } from 'poolifier';
import { inc, spin, touch } from '../../lib/workers/functions.mjs';

export default new ThreadWorker({ inc, spin, touch });
