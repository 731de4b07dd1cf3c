/**
 * The throwaway Redis helper against the real `redis-server` binary. Its answers are read over raw
 * sockets (RESP), not through the helper's own probe nor a client library, so that these tests
 * check what a client would see.
 */

import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { connect, createServer, type AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { findRedisServer, startRedisServer, type RedisServer } from '../src/redis-server.ts';

/** Sends one command, then QUIT, over a raw socket and resolves with the command's raw reply. */
function command(port: number, ...args: string[]): Promise<string> {
  const encode = (words: string[]): string =>
    `*${words.length}\r\n${words.map((word) => `$${Buffer.byteLength(word)}\r\n${word}\r\n`).join('')}`;
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let reply = '';
    socket.setTimeout(2_000, () => socket.destroy(new Error(`no answer from port ${port} in 2 s`)));
    socket.setEncoding('utf8').on('data', (chunk: string) => (reply += chunk));
    socket.on('error', reject);
    socket.on('end', () => resolve(reply.replace(/\+OK\r\n$/, ''))); // QUIT's +OK
    socket.write(encode(args) + encode(['QUIT']));
  });
}

/** The value of a single-valued CONFIG GET, from its raw reply `*2 $n name $n value`. */
async function configGet(port: number, name: string): Promise<string | undefined> {
  return (await command(port, 'CONFIG', 'GET', name)).split('\r\n')[4];
}

/** True if we can listen on 127.0.0.1:port right now. */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * True while the process runs. A zombie counts as gone: an orphaned redis-server is reparented to
 * PID 1, which in some containers never reaps it.
 */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Checks up to 5 s for `condition` to hold; true if it did. */
async function eventually(condition: () => boolean | Promise<boolean>): Promise<boolean> {
  for (let waited = 0; waited < 5_000; waited += 20) {
    if (await condition()) return true;
    await delay(20);
  }
  return condition();
}

/**
 * Runs a Node.js process that starts a server, prints its pid and port, then runs `then`.
 * Resolves once it printed them; the process is SIGKILLed after 20 s, so that a test that fails
 * cannot leave it behind.
 */
async function serverInAnotherProcess(then: string): Promise<{ pid: number; port: number; child: ChildProcess; exited: Promise<number | null> }> {
  const script = `const { startRedisServer } = await import(process.argv[1]);
    const server = await startRedisServer();
    console.log(JSON.stringify({ pid: server.pid, port: server.port }));
    ${then}`;
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@futures/source', '--input-type=module', '-e', script, fileURLToPath(new URL('../src/redis-server.ts', import.meta.url))],
    { cwd: fileURLToPath(new URL('..', import.meta.url)), stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const deadline = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve)).finally(() => clearTimeout(deadline));
  const printed = once(createInterface({ input: child.stdout! }), 'line') as Promise<[string]>;
  const died = exited.then((code) => Promise.reject(new Error(`the server's process exited (${code}) before printing`)));
  const [line] = await Promise.race([printed, died]);
  const { pid, port } = JSON.parse(line) as { pid: number; port: number };
  return { pid, port, child, exited };
}

const servers: RedisServer[] = [];
async function start(...args: Parameters<typeof startRedisServer>): Promise<RedisServer> {
  const server = await startRedisServer(...args);
  servers.push(server);
  return server;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.stop()));
  vi.unstubAllEnvs();
});

describe('startRedisServer', () => {
  it('starts on a free port of 127.0.0.1, without persistence, and answers PING', async () => {
    const server = await start();
    expect(server.host).toBe('127.0.0.1');
    expect(server.url).toBe(`redis://127.0.0.1:${server.port}`);
    expect(alive(server.pid)).toBe(true);
    expect(await command(server.port, 'PING')).toBe('+PONG\r\n');
    expect(await configGet(server.port, 'bind')).toBe('127.0.0.1');
    expect(await configGet(server.port, 'save')).toBe('');
    expect(await configGet(server.port, 'appendonly')).toBe('no');
    expect(await configGet(server.port, 'protected-mode')).toBe('yes');
    expect(await command(server.port, 'INFO', 'server')).toContain(`process_id:${server.pid}\r\n`);
  });

  it('gives two servers different ports', async () => {
    const [a, b] = await Promise.all([start(), start()]);
    expect(a.port).not.toBe(b.port);
    expect(await command(a.port, 'PING')).toBe('+PONG\r\n');
    expect(await command(b.port, 'PING')).toBe('+PONG\r\n');
  });

  it('stop() ends the process, frees the port and removes its directory; again is a no-op', async () => {
    const server = await startRedisServer();
    const dir = await configGet(server.port, 'dir');
    expect(dir).toMatch(/futures-redis-/);
    expect(existsSync(dir!)).toBe(true);

    await server.stop();
    expect(alive(server.pid)).toBe(false);
    expect(existsSync(dir!)).toBe(false);
    expect(await portIsFree(server.port)).toBe(true);
    await expect(command(server.port, 'PING')).rejects.toThrow(/ECONNREFUSED/);
    await server.stop();
    await server[Symbol.asyncDispose]();
    await expect(server.restart()).rejects.toMatchObject({ code: 'ERR_REDIS_SERVER_STOPPED' });
  });

  it('kill("SIGKILL") crashes it; restart() brings it back, empty, on the same port', async () => {
    const server = await start();
    const { port, pid } = server;
    expect(await command(port, 'SET', 'key', 'value')).toBe('+OK\r\n');

    await server.kill('SIGKILL');
    expect(alive(pid)).toBe(false);
    await expect(command(port, 'PING')).rejects.toThrow(/ECONNREFUSED/);

    await server.restart();
    expect(server.port).toBe(port);
    expect(server.pid).not.toBe(pid);
    expect(await command(port, 'PING')).toBe('+PONG\r\n');
    expect(await command(port, 'GET', 'key')).toBe('$-1\r\n'); // nothing persisted
  });

  it('restart() of a running server replaces its process on the same port', async () => {
    const server = await start();
    const { port, pid } = server;
    await server.restart();
    expect(alive(pid)).toBe(false);
    expect(server.port).toBe(port);
    expect(await command(port, 'INFO', 'server')).toContain(`process_id:${server.pid}\r\n`);
  });

  it('fails with ERR_REDIS_SERVER_START when the port it is given is taken', async () => {
    const other = await start();
    const error = await startRedisServer({ port: other.port }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'RedisServerError', code: 'ERR_REDIS_SERVER_START' });
    expect((error as Error).message).toContain(`port ${other.port}`);
    expect(await command(other.port, 'INFO', 'server')).toContain(`process_id:${other.pid}\r\n`);
  });

  it('fails with ERR_REDIS_SERVER_START when something else listens on the port it is given', async () => {
    const squatter = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = squatter.address() as AddressInfo;
      const error = await startRedisServer({ port }).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: 'ERR_REDIS_SERVER_START' });
      expect((error as Error).message).toMatch(new RegExp(`port ${port} is in use\\n[^]*Address already in use`));
    } finally {
      squatter.close();
    }
  });

  it('fails with ERR_REDIS_SERVER_START and the server\'s last output when it will not start', async () => {
    const error = await startRedisServer({ args: ['--no-such-directive', 'yes'] }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'ERR_REDIS_SERVER_START' });
    expect((error as Error).message).toMatch(/exited with code 1; its last output:\n[^]*no-such-directive/);
  });

  it('fails with ERR_REDIS_SERVER_NOT_FOUND, saying how to get one, when the binary is missing', async () => {
    const error = await startRedisServer({ binary: '/nonexistent/redis-server' }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'RedisServerError', code: 'ERR_REDIS_SERVER_NOT_FOUND' });
    expect((error as Error).message).toContain('apt-get install redis-server');
    expect((error as Error).message).toContain('FUTURES_REDIS_URL');

    vi.stubEnv('FUTURES_REDIS_SERVER', 'no-such-redis-server-binary');
    expect(findRedisServer()).toBeUndefined();
    await expect(startRedisServer()).rejects.toMatchObject({ code: 'ERR_REDIS_SERVER_NOT_FOUND' });
  });

  it('findRedisServer() finds the binary, or the one FUTURES_REDIS_SERVER names', () => {
    const found = findRedisServer();
    expect(found).toMatch(/\/redis-server$/);
    vi.stubEnv('FUTURES_REDIS_SERVER', found!);
    expect(findRedisServer()).toBe(found);
  });

  it('does not keep its process alive, and dies when it exits', async () => {
    // The process starts a server and never stops it, yet must exit by itself, taking the server along.
    const { pid, port, exited } = await serverInAnotherProcess('');
    expect(await exited).toBe(0);
    expect(await eventually(() => !alive(pid))).toBe(true);
    expect(await eventually(() => portIsFree(port))).toBe(true);
  });

  it.runIf(process.platform === 'linux')('dies when its process is killed outright (SIGKILL: no exit event)', async () => {
    const { pid, port, child, exited } = await serverInAnotherProcess('setInterval(() => {}, 1_000);');
    expect(alive(pid)).toBe(true);
    const dir = await configGet(port, 'dir');
    child.kill('SIGKILL');
    await exited;
    expect(await eventually(() => !alive(pid))).toBe(true);
    // The main thread is a zombie first; the port is free once its other threads are gone too.
    expect(await eventually(() => portIsFree(port))).toBe(true);
    // Nobody was left to remove its (empty) directory.
    expect(dir).toMatch(/futures-redis-/);
    await rm(dir!, { recursive: true, force: true });
  });
});
