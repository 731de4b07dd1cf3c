import { it } from 'vitest';
import { executorTestSuite } from '@futures/test-suite';
import { AsyncExecutor } from '../src/index.js';

executorTestSuite(it, (options) => new AsyncExecutor(options));
