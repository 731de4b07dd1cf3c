import { it } from 'vitest';
import { executorTestSuite } from '@futures/test-suite';
import { ClusterExecutor } from '../src/index.js';

// A cluster worker starts like a child process (~300 ms under tsx, from the sources): waits are scaled by 3.
executorTestSuite(it, (options) => new ClusterExecutor(options), { timeScale: 3 });
