/**
 * The Redis of the distributed example: the one FUTURES_REDIS_URL names, else a throwaway
 * `redis-server` of our own (`startRedisServer` of @futures/bullmq: 127.0.0.1, a free port, no
 * persistence, a temporary directory), stopped at the end. Debian/Ubuntu: `apt-get install
 * redis-server`.
 */
import { randomBytes } from 'node:crypto';
import { findRedisServer, startRedisServer } from '@futures/bullmq/redis-server';

/** Where the example's Redis is: `await using redis = await exampleRedis()` stops ours at scope end. */
export interface ExampleRedis extends AsyncDisposable {
  /** `redis://127.0.0.1:PORT`, or FUTURES_REDIS_URL. */
  readonly url: string;
  /** True when we started it (and `close` stops it); false for FUTURES_REDIS_URL. */
  readonly own: boolean;
  /** A queue name of its own (a shared Redis may hold other queues). */
  queueName(label: string): string;
  /** Stops our server (nothing for FUTURES_REDIS_URL). Idempotent. */
  close(): Promise<void>;
}

/** FUTURES_REDIS_URL, or a redis-server started now. Throws how to get one when neither can be had. */
export async function exampleRedis(): Promise<ExampleRedis> {
  const given = process.env.FUTURES_REDIS_URL;
  const queueName = (label: string): string => `${label}-${randomBytes(4).toString('hex')}`;
  if (given) {
    return { url: given, own: false, queueName, close: () => Promise.resolve(), [Symbol.asyncDispose]: () => Promise.resolve() };
  }
  const server = await startRedisServer();
  return { url: server.url, own: true, queueName, close: () => server.stop(), [Symbol.asyncDispose]: () => server.stop() };
}

/**
 * Why the distributed example cannot run here, or `undefined` when it can: no FUTURES_REDIS_URL
 * and no `redis-server` to start. For `demo.ts`, which skips it then (its test does not).
 */
export function redisUnavailable(): string | undefined {
  if (process.env.FUTURES_REDIS_URL || findRedisServer() !== undefined) return undefined;
  return 'install redis-server (apt-get install redis-server) or set FUTURES_REDIS_URL';
}
