import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.ts';

/** The S3 tests talk to a real S3 server on 127.0.0.1: `test/global-setup.ts` finds or starts one. */
export default mergeConfig(shared, defineConfig({ test: { globalSetup: ['test/global-setup.ts'], testTimeout: 60_000, hookTimeout: 60_000 } }));
