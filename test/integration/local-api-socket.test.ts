/**
 * The local API's listener on a real Unix socket: its folder and socket modes, a stale socket
 * replaced, a live one (another instance) left alone, bounded requests, `watch` subscriptions,
 * and the file gone after close.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startLocalApiServer, type LocalApiServer } from '../../main/adapters/local-api-server.js';
import type { LocalApiEnvelope } from '../../shared/local-api.js';
import { createMemoryLogger } from '../support/memory-logger.js';

let root: string;
let path: string;
const servers: LocalApiServer[] = [];

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'd2c-local-api-'));
  path = join(root, 'data2crm-tray', 'local-api.sock');
});
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
  rmSync(root, { recursive: true, force: true });
});

const echo = async (op: string, args: unknown): Promise<LocalApiEnvelope> => ({ ok: true, value: { op, args } });

async function start(options: { watch?: (send: (event: unknown) => void) => () => void } = {}) {
  const logger = createMemoryLogger();
  const server = await startLocalApiServer({ socketPath: path, dispatch: echo, watch: options.watch ?? (() => () => undefined), logger });
  if (server) servers.push(server);
  return { server, logger };
}

/** Sends lines; collects answer lines until `count` arrived or the server ends the connection. */
function exchange(lines: string[], count: number): Promise<{ answers: Array<Record<string, unknown>>; closed: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    const answers: Array<Record<string, unknown>> = [];
    let text = '';
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(lines.map((l) => `${l}\n`).join('')));
    socket.on('data', (chunk: string) => {
      text += chunk;
      const parts = text.split('\n');
      text = parts.pop()!;
      answers.push(...parts.map((p) => JSON.parse(p) as Record<string, unknown>));
      if (answers.length >= count) {
        socket.destroy();
        resolve({ answers, closed: false });
      }
    });
    socket.on('close', () => resolve({ answers, closed: true }));
    // The server may end a connection while this side still writes.
    socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' || error.code === 'EPIPE' ? resolve({ answers, closed: true }) : reject(error)));
  });
}

describe('local API socket', () => {
  it('listens in a 0700 folder on a 0600 socket, tightening a folder that was open', async () => {
    mkdirSync(join(root, 'data2crm-tray'), { mode: 0o755 });
    chmodSync(join(root, 'data2crm-tray'), 0o755);
    const { server } = await start();
    expect(server).not.toBeNull();
    expect(lstatSync(join(root, 'data2crm-tray')).mode & 0o777).toBe(0o700);
    expect(lstatSync(path).isSocket()).toBe(true);
    expect(lstatSync(path).mode & 0o777).toBe(0o600);
    const { answers } = await exchange([JSON.stringify({ id: 7, op: 'state:get' })], 1);
    expect(answers).toEqual([{ id: 7, ok: true, value: { op: 'state:get' } }]);
    await server!.close();
    servers.length = 0;
    expect(existsSync(path)).toBe(false);
  });

  it('replaces a socket left by a crash (nothing answers there)', async () => {
    mkdirSync(join(root, 'data2crm-tray'), { mode: 0o700 });
    const crashed = spawnSync(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(path)}, () => process.kill(process.pid, 'SIGKILL'))`]);
    expect(crashed.signal).toBe('SIGKILL');
    expect(lstatSync(path).isSocket()).toBe(true);
    const { server } = await start();
    expect(server).not.toBeNull();
    expect((await exchange([JSON.stringify({ id: 1, op: 'app:get-info' })], 1)).answers).toMatchObject([{ id: 1, ok: true }]);
  });

  it('leaves a live socket to the instance that answers there, and says so', async () => {
    mkdirSync(join(root, 'data2crm-tray'), { mode: 0o700 });
    const other: Server = createServer((socket) => {
      socket.on('error', () => undefined);
      socket.end('{"id":1,"ok":true,"value":"other"}\n');
    });
    await new Promise<void>((resolve) => other.listen(path, resolve));
    try {
      const { server, logger } = await start();
      expect(server).toBeNull();
      expect(logger.lines.some((l) => l.message === 'local-api: not started: another instance answers at its socket')).toBe(true);
      expect((await exchange(['{}'], 1)).answers).toEqual([{ id: 1, ok: true, value: 'other' }]);
    } finally {
      other.close();
    }
  });

  it.runIf(process.getuid?.() === 0)('will not use a folder that belongs to another user', async () => {
    mkdirSync(join(root, 'data2crm-tray'), { mode: 0o700 });
    chownSync(join(root, 'data2crm-tray'), 65534, 65534);
    const { server, logger } = await start();
    expect(server).toBeNull();
    expect(logger.lines.find((l) => l.message === 'local-api: not started: its folder is not safe to use')?.fields).toMatchObject({ reason: 'it belongs to another user (uid 65534)' });
    expect(existsSync(path)).toBe(false);
  });

  it('answers requests on one connection in any number, and refuses what is not a request', async () => {
    await start();
    const { answers } = await exchange(['not json', JSON.stringify({ id: 2, op: 'a', args: { x: 1 } }), JSON.stringify({ id: -1, op: 'b' }), JSON.stringify({ id: 3, op: 'c', extra: true })], 4);
    expect(answers).toEqual(
      expect.arrayContaining([
        { id: 0, ok: false, error: { code: 'invalid-request', message: 'The request is not a local API request.' } },
        { id: 2, ok: true, value: { op: 'a', args: { x: 1 } } },
      ]),
    );
    expect(answers.filter((a) => a['ok'] === false)).toHaveLength(3);
  });

  it('ends a connection whose request line grows past the bound', async () => {
    await start();
    const { answers, closed } = await exchange(['x'.repeat(100_000)], 2);
    expect(closed).toBe(true);
    expect(answers).toEqual([{ id: 0, ok: false, error: { code: 'invalid-request', message: 'The request is too long.' } }]);
  });

  it('a watch gets every event until its connection closes, then unsubscribes', async () => {
    const listeners = new Set<(event: unknown) => void>();
    await start({
      watch: (send) => {
        listeners.add(send);
        send({ seq: 0, reset: true });
        return () => listeners.delete(send);
      },
    });
    const socket = connect(path);
    const events: unknown[] = [];
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      text += chunk;
      const parts = text.split('\n');
      text = parts.pop()!;
      events.push(...parts.map((p) => JSON.parse(p) as unknown));
    });
    await new Promise<void>((resolve) => socket.on('connect', () => resolve()));
    socket.write(`${JSON.stringify({ id: 9, op: 'state:watch' })}\n`);
    await expect.poll(() => listeners.size).toBe(1);
    for (const send of listeners) send({ seq: 1 });
    await expect.poll(() => events).toEqual([{ id: 9, event: { seq: 0, reset: true } }, { id: 9, event: { seq: 1 } }]);
    socket.destroy();
    await expect.poll(() => listeners.size).toBe(0);
  });
});
