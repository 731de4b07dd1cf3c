import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.ts';

/** The tests talk to a real Redis on 127.0.0.1: `test/global-setup.ts` finds or starts one. */
export default mergeConfig(shared, defineConfig({ test: { globalSetup: ['test/global-setup.ts'], testTimeout: 30_000, hookTimeout: 30_000 } }));
