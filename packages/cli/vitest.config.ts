import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.ts';

/**
 * The `futures s3` tests talk to the real S3 server of @futures/s3's tests (Ceph radosgw on
 * 127.0.0.1): its global setup finds or starts one (for every test file here, which is harmless).
 */
export default mergeConfig(shared, defineConfig({ test: { globalSetup: ['../s3/test/global-setup.ts'], testTimeout: 60_000, hookTimeout: 60_000 } }));
