import { it } from 'vitest';
import { executorTestSuite } from '../src/index.js';
import { ReferenceExecutor } from './reference-executor.js';

// The suite checks itself against a minimal reference backend that copies every argument,
// result and error with structured clone, as a worker backend would.
executorTestSuite(it, (options) => new ReferenceExecutor(options));
