// workerpool's worker (workerType 'process': a child_process.fork'ed script): methods registered
// by name, called with pool.exec(name, [args]).
import workerpool from 'workerpool';
import { inc, spin } from '../../lib/workers/functions.mjs';

workerpool.worker({ inc, spin });
