// workerpool's worker: methods registered by name, called with pool.exec(name, [args]).
import workerpool from 'workerpool';
import { inc, spin, touch } from './functions.mjs';

workerpool.worker({ inc, spin, touch });
