/**
 * The loopback redirect listener under hostile input over real sockets: odd request targets,
 * absolute-form, foreign Host names, cross-origin posts, huge headers and bodies, garbage bytes,
 * slow senders and random request lines. Nothing may throw out of it, nothing but the exact
 * callback on our own Host reaches the judge, and the genuine redirect still gets through.
 */
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLoopbackListener } from '../../main/adapters/loopback-listener.js';
import type { RedirectCapture } from '../../main/core/ports.js';
import { rawExchange, request } from '../support/raw-http.js';

const GENUINE_QUERY = '?state=the-real-state&code=the-real-code';
let capture: RedirectCapture;
let port: string;
let judged: string[];

beforeEach(async () => {
  judged = [];
  capture = await createLoopbackListener().start(0, (url) => {
    judged.push(url);
    return url === `${capture.redirectUri}${GENUINE_QUERY}` ? 'accepted' : 'ignored';
  });
  port = new URL(capture.redirectUri).port;
});
afterEach(() => capture.close());

const line = (requestLine: string, headers = `Host: 127.0.0.1:${'PORT'}`) => `${requestLine}\r\n${headers}\r\nConnection: close\r\n\r\n`;
const raw = (text: string) => rawExchange(port, text.replaceAll('PORT', port));

async function stillServesTheGenuineRedirect(): Promise<void> {
  const response = await request(port, { path: `/callback${GENUINE_QUERY}`, headers: { host: `127.0.0.1:${port}` } });
  expect(response.status).toBe(200);
  expect(response.body).toContain('Sign-in received');
}

describe('loopback listener: hostile requests', () => {
  it('answers odd request targets without throwing and without consulting the judge', async () => {
    const cases: Array<[string, number[]]> = [
      ['GET // HTTP/1.1', [404]],
      ['GET //callback?code=x&state=y HTTP/1.1', [404]],
      ['GET http://127.0.0.1:PORT/callback?code=x&state=y HTTP/1.1', [404]],
      ['GET http://evil.example/callback?error=x HTTP/1.1', [404]],
      ['GET * HTTP/1.1', [404]],
      ['OPTIONS * HTTP/1.1', [404]],
      ['GET /callback/../callback?error=x HTTP/1.1', [404]],
      ['GET /Callback?error=x HTTP/1.1', [404]],
      ['GET /callback/?error=x HTTP/1.1', [404]],
      ['GET /%zz?%zz HTTP/1.1', [404]],
      ['GET /%00 HTTP/1.1', [404]],
      ['GET \\\\evil.example HTTP/1.1', [400, 404]],
      ['GET /callback HTTP/9.9', [400, 505, 0]],
      ['CONNECT 127.0.0.1:PORT HTTP/1.1', [400, 0]],
      ['BREW /callback HTTP/1.1', [400, 405, 0]],
      ['PUT /callback?error=x HTTP/1.1', [405]],
      ['DELETE /callback HTTP/1.1', [405]],
    ];
    for (const [requestLine, expected] of cases) {
      expect(expected, requestLine).toContain(await raw(line(requestLine)));
    }
    expect(judged).toEqual([]);
    await stillServesTheGenuineRedirect();
  });

  it('considers only its own Host with the port (no DNS rebinding, no look-alike names)', async () => {
    for (const host of ['evil.example', `evil.example:${port}`, '127.0.0.1', `127.0.0.1:${Number(port) + 1}`, `127.0.0.2:${port}`, `localhost.evil.example:${port}`]) {
      expect((await request(port, { path: `/callback${GENUINE_QUERY}`, headers: { host } })).status, host).toBe(404);
    }
    expect(await raw('GET /callback?error=x HTTP/1.0\r\n\r\n'), 'no Host at all').toBe(404);
    expect(judged).toEqual([]);
    // localhost with our port is ours too; the judge sees the listener's canonical address.
    expect((await request(port, { path: '/callback?state=wrong&error=x', headers: { host: `localhost:${port}` } })).status).toBe(400);
    expect(judged).toEqual([`${capture.redirectUri}?state=wrong&error=x`]);
  });

  it('a wrong or missing state gets an error page and the listener keeps waiting', async () => {
    for (const query of ['?error=access_denied', '?code=abc', '?state=&code=abc', '?state=guess&code=abc', '?code=%E0%A4%A&state=%ZZ', '?state=the-real-state&state=x&code=the-real-code']) {
      const response = await request(port, { path: `/callback${query}`, headers: { host: `127.0.0.1:${port}` } });
      expect(response.status, query).toBe(400);
      expect(response.body).toContain('ignored');
    }
    await stillServesTheGenuineRedirect();
  });

  it('takes a POST only from its own callback page (its Origin), and only its own URLs', async () => {
    const genuine = `${capture.redirectUri}${GENUINE_QUERY}`;
    const host = `127.0.0.1:${port}`;
    for (const origin of [undefined, 'null', 'https://evil.example', `http://localhost:${port}`, `http://127.0.0.1:${Number(port) + 1}`]) {
      const headers: Record<string, string> = { host, 'content-type': 'text/plain', ...(origin === undefined ? {} : { origin }) };
      expect((await request(port, { method: 'POST', path: '/callback', headers, body: genuine })).status, String(origin)).toBe(403);
    }
    const own = { host, origin: `http://127.0.0.1:${port}`, 'content-type': 'text/plain' };
    for (const body of ['', 'garbage', `https://evil.example/callback${GENUINE_QUERY}`, `${capture.redirectUri}x${GENUINE_QUERY}`, `${capture.redirectUri}?state=guess#access_token=x`]) {
      expect((await request(port, { method: 'POST', path: '/callback', headers: own, body })).status, body).toBe(400);
    }
    // A body over the cap is cut off, not buffered.
    const huge = await request(port, { method: 'POST', path: '/callback', headers: own, body: `${genuine}#${'a'.repeat(1_000_000)}` }).then(
      (r) => r.status,
      () => 0,
    );
    expect([413, 0]).toContain(huge);
    expect(judged.every((url) => url.startsWith(capture.redirectUri))).toBe(true);
    expect((await request(port, { method: 'POST', path: '/callback', headers: own, body: genuine })).status).toBe(204);
  });

  it('survives huge headers, broken framing and garbage bytes', async () => {
    expect(await raw(line('GET /callback?error=x HTTP/1.1', `Host: 127.0.0.1:PORT\r\nX-Big: ${'b'.repeat(100_000)}`))).toBe(431);
    expect(await raw(line(`GET /callback?code=${'c'.repeat(100_000)} HTTP/1.1`))).toBe(431);
    expect([400, 0]).toContain(await raw(`POST /callback HTTP/1.1\r\nHost: 127.0.0.1:PORT\r\nOrigin: http://127.0.0.1:PORT\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nnot a chunk\r\n`));
    expect([400, 0]).toContain(await raw(`POST /callback HTTP/1.1\r\nHost: 127.0.0.1:PORT\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\nabcdefg`));
    expect([400, 0]).toContain(await rawExchange(port, randomBytes(4096)));
    expect([400, 0]).toContain(await rawExchange(port, Buffer.from([0, 1, 2, 3, 13, 10, 13, 10])));
    await stillServesTheGenuineRedirect();
  });

  it('random request lines never break it', async () => {
    const methods = ['GET', 'POST', 'HEAD', 'PUT', 'get', 'G\u00e9T', '', 'GET GET'];
    const targets = ['/callback', '//', '/callback?', '/callback#x', '?', '/callback?state=%', 'http://x', '/\u0000', '/callback?code=a&code=b', '/..', '%2Fcallback', `/callback?${'&'.repeat(500)}`];
    const hosts = [`127.0.0.1:${port}`, `localhost:${port}`, 'x', `127.0.0.1:${port}\r\nHost: evil.example`];
    for (let i = 0; i < 120; i++) {
      const pick = <T>(list: readonly T[]) => list[randomBytes(1)[0]! % list.length]!;
      const noise = randomBytes(randomBytes(1)[0]! % 8).toString('latin1');
      const status = await rawExchange(port, Buffer.from(`${pick(methods)} ${pick(targets)}${noise} HTTP/1.1\r\nHost: ${pick(hosts)}\r\nOrigin: ${pick(['null', `http://127.0.0.1:${port}`])}\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc`, 'latin1'));
      expect([0, 200, 204, 400, 403, 404, 405, 413, 431, 505]).toContain(status);
    }
    expect(judged.every((url) => url.startsWith(`${capture.redirectUri}?`) || url.startsWith(`${capture.redirectUri}#`))).toBe(true);
    await stillServesTheGenuineRedirect();
  });

  it('a slow sender neither blocks the genuine redirect nor keeps the listener open', async () => {
    const slow: Socket = connect(Number(port), '127.0.0.1');
    slow.on('error', () => undefined);
    await new Promise<void>((resolve) => slow.once('connect', () => resolve()));
    slow.write(`GET /callback?state=the-real-state&co`);
    await stillServesTheGenuineRedirect();
    const closedSocket = new Promise<void>((resolve) => slow.once('close', () => resolve()));
    await capture.close();
    await closedSocket;
    await expect(request(port, { path: `/callback${GENUINE_QUERY}`, headers: { host: `127.0.0.1:${port}` } })).rejects.toThrow();
    capture = { redirectUri: capture.redirectUri, close: async () => undefined };
  });

  it('a judge that throws is answered with an error, and the listener goes on', async () => {
    const throwing = await createLoopbackListener().start(0, () => {
      throw new Error('boom');
    });
    const p = new URL(throwing.redirectUri).port;
    expect((await request(p, { path: '/callback?code=x&state=y', headers: { host: `127.0.0.1:${p}` } })).status).toBe(400);
    expect((await request(p, { path: '/callback', headers: { host: `127.0.0.1:${p}` } })).status).toBe(200);
    await throwing.close();
  });
});
