/**
 * Where Redis is, and how this package watches the connection: a lost Redis must give a typed
 * error within `connectionTimeout`, not a future that never settles.
 */
import { Redis, type RedisOptions } from 'ioredis';
import { durationOption } from '@futures/core';
import { RedisUnavailableError } from './errors.js';

/** Where Redis is: a URL (`redis://[user:password@]host:port[/db]`, `rediss://` for TLS) or ioredis options. */
export type RedisConnection = string | RedisOptions;

/** The Redis used when none is given: `FUTURES_REDIS_URL`, else a local server on the default port. */
export function defaultConnection(): string {
  return process.env.FUTURES_REDIS_URL || 'redis://127.0.0.1:6379';
}

/** Turns a URL or ioredis options into ioredis options (BullMQ makes its own connections from them). */
export function connectionOptions(connection: RedisConnection | undefined, where: string): RedisOptions {
  const given = connection ?? defaultConnection();
  if (typeof given === 'object' && given !== null) {
    if (given instanceof Redis) throw new TypeError(`${where}: connection must be a URL or ioredis options, not a Redis instance (BullMQ needs to open connections of its own)`);
    return { ...given };
  }
  if (typeof given !== 'string') throw new TypeError(`${where}: connection must be a redis:// URL or ioredis options, got ${typeof given}`);
  let url: URL;
  try {
    url = new URL(given);
  } catch {
    throw new TypeError(`${where}: connection ${JSON.stringify(given)} is not a URL; expected e.g. redis://127.0.0.1:6379`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new TypeError(`${where}: connection URL must start with redis:// or rediss://, got ${url.protocol}//`);
  const db = url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0) throw new TypeError(`${where}: the database in ${JSON.stringify(given)} must be a number, e.g. redis://host:6379/2`);
  return {
    host: url.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1',
    port: url.port === '' ? 6379 : Number(url.port),
    db,
    ...(url.username === '' ? {} : { username: decodeURIComponent(url.username) }),
    ...(url.password === '' ? {} : { password: decodeURIComponent(url.password) }),
    ...(url.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

/** `host:port/db`, for messages (never the password). */
export function describeConnection(options: RedisOptions): string {
  return `redis://${options.host ?? '127.0.0.1'}:${options.port ?? 6379}/${options.db ?? 0}`;
}

/** Checks `connectionTimeout`. */
export function connectionTimeoutOption(value: unknown): number {
  return durationOption('connectionTimeout', value) ?? 10_000;
}

/**
 * Watches one ioredis client: when it has not been ready for `timeout` ms (it never connected,
 * or it lost the connection and did not get it back), calls `onLost` once with a
 * {@link RedisUnavailableError} that says what the last error was, followed by `hint`.
 */
export function watchConnection(client: Redis, timeout: number, what: string, onLost: (error: RedisUnavailableError) => void, hint = ''): () => void {
  let lastError: (Error & { code?: string }) | undefined;
  let timer: NodeJS.Timeout | undefined;
  let lost = false;
  const arm = (): void => {
    if (timer !== undefined || lost) return;
    timer = setTimeout(() => {
      lost = true;
      const code = lastError?.code;
      onLost(
        new RedisUnavailableError(
          `${what}: Redis at ${describeConnection(client.options)} has not answered for ${timeout} ms (connectionTimeout)` +
            (lastError === undefined ? '' : `; last error: ${lastError.message}`) +
            hint,
          code,
          lastError === undefined ? undefined : { cause: lastError },
        ),
      );
    }, timeout);
    timer.unref();
  };
  const ready = (): void => {
    clearTimeout(timer);
    timer = undefined;
    lastError = undefined;
  };
  const error = (cause: Error & { code?: string }): void => {
    lastError = cause;
    arm();
  };
  client.on('ready', ready);
  client.on('error', error);
  client.on('close', arm);
  client.on('end', arm);
  if (client.status !== 'ready') arm();
  return () => {
    clearTimeout(timer);
    client.off('ready', ready);
    client.off('error', error);
    client.off('close', arm);
    client.off('end', arm);
  };
}
