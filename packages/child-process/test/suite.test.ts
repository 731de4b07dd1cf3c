import { it } from 'vitest';
import { executorTestSuite } from '@futures/test-suite';
import { ProcessPoolExecutor } from '../src/index.js';

// A child process starts in ~50 ms (~300 ms under tsx, from the sources): waits are scaled by 3.
executorTestSuite(it, (options) => new ProcessPoolExecutor(options), { timeScale: 3 });
