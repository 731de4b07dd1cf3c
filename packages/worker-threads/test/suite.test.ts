import { it } from 'vitest';
import { executorTestSuite } from '@futures/test-suite';
import { ThreadPoolExecutor } from '../src/index.js';

executorTestSuite(it, (options) => new ThreadPoolExecutor(options), { timeScale: 2 });
