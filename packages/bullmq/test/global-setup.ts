/**
 * vitest globalSetup: finds or starts the real Redis the tests run against and hands its URL to
 * them (`inject('redisUrl')`). In this order:
 *
 * 1. FUTURES_REDIS_URL set: that server (it must answer PING); nothing is started or stopped.
 * 2. Otherwise a throwaway `redis-server` of our own (src/redis-server.ts: 127.0.0.1, a free
 *    port, no persistence, ~50 ms), stopped in teardown.
 *
 * When no server can be had, setup throws, so every test fails with the message saying how to
 * get one; the tests are never skipped.
 */

import { createRequire } from 'node:module';
import type { TestProject } from 'vitest/node';
import { startRedisServer } from '../src/redis-server.ts';

// Loaded with Node's own require, like the S3 SDK in packages/s3/test/global-setup.ts: vite's
// module runner is slow to transform a client library, and this is only a check.
const { Redis } = createRequire(import.meta.url)('ioredis') as typeof import('ioredis');

declare module 'vitest' {
  export interface ProvidedContext {
    /** The Redis the tests use, e.g. `redis://127.0.0.1:40123`. */
    redisUrl: string;
  }
}

const howTo = [
  'The @futures/bullmq tests need a real Redis server. Either',
  '  - install redis-server, which the tests then start by themselves (Debian/Ubuntu, as root:',
  '    `apt-get install redis-server`; FUTURES_REDIS_SERVER=/path/to/redis-server if it is not on PATH), or',
  '  - point them at a Redis they may write to (BullMQ recommends >= 6.2): FUTURES_REDIS_URL=redis://host:port.',
].join('\n');

/** Why the server at `url` does not answer PING, or undefined if it does. One attempt, short timeouts. */
async function pingProblem(url: string): Promise<string | undefined> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 2_000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  // Without retries, connect() only says "Connection is closed."; the reason comes as an 'error' event.
  let reason: string | undefined;
  client.on('error', (error: Error) => (reason ??= error.message));
  try {
    await client.connect();
    const answer = await client.ping();
    return answer === 'PONG' ? undefined : `PING answered ${JSON.stringify(answer)}`;
  } catch (error) {
    return reason ?? (error instanceof Error ? error.message : String(error));
  } finally {
    client.disconnect();
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const given = process.env.FUTURES_REDIS_URL;
  if (given) {
    const problem = await pingProblem(given);
    if (problem !== undefined) {
      throw new Error(`the Redis at FUTURES_REDIS_URL=${given} does not answer PING (${problem})\n\n${howTo}`);
    }
    project.provide('redisUrl', given);
    return undefined;
  }

  let server;
  try {
    server = await startRedisServer();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`no Redis for the @futures/bullmq tests: ${reason}\n\n${howTo}`, { cause: error });
  }
  project.provide('redisUrl', server.url);
  return () => server.stop();
}
