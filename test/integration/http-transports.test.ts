/**
 * The core's two HTTP transports answer alike over real HTTP: over fetch (the desktop app's, with
 * Electron's net.fetch) and over undici's request (the keeper's). Same statuses, headers, caps,
 * refused redirects, and failures in the same words with the same system code.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUndiciTransport } from '../../main/adapters/undici-transport.js';
import { globalFetchTransport } from '../../main/core/http/fetch-transport.js';
import { sendRequest } from '../../main/core/http/request.js';

let server: Server;
let base: string;
const received: Array<{ method: string; url: string; type: string | undefined; body: string }> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', type: req.headers['content-type'], body });
      switch (req.url) {
        case '/echo':
          res.writeHead(201, { 'content-type': 'application/json', 'retry-after': '7', 'x-many': ['a', 'b'] });
          return res.end(JSON.stringify({ got: body }));
        case '/declared-large':
          res.writeHead(200, { 'content-length': String(2_000_000) });
          return res.end(Buffer.alloc(2_000_000, 'x'));
        case '/declared-large-503':
          res.writeHead(503, { 'content-length': String(2_000_000), 'retry-after': '30' });
          return res.end(Buffer.alloc(2_000_000, 'x'));
        case '/chunked-large':
          res.writeHead(200);
          for (let i = 0; i < 40; i++) res.write(Buffer.alloc(64 * 1024, 'y'));
          return res.end();
        case '/redirect':
          res.writeHead(302, { location: '/echo' });
          return res.end();
        case '/echo-secret':
          res.writeHead(400, { 'content-type': 'application/json' });
          return res.end(JSON.stringify({ error: `bad token ${body}` }));
        case '/slow':
          return setTimeout(() => res.end('late'), 3_000);
        default:
          res.writeHead(404);
          return res.end('');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe.each([
  ['fetch', globalFetchTransport],
  ['undici', createUndiciTransport()],
] as const)('the %s transport', (_name, transport) => {
  it('sends the method, headers and body, and gives the status, headers and text', async () => {
    const outcome = await sendRequest(transport, { method: 'POST', url: `${base}/echo`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1&b=2', timeoutMs: 5_000 });
    expect(received.at(-1)).toEqual({ method: 'POST', url: '/echo', type: 'application/x-www-form-urlencoded', body: 'a=1&b=2' });
    expect(outcome).toMatchObject({ ok: true, response: { status: 201, text: '{"got":"a=1&b=2"}' } });
    if (!outcome.ok) throw new Error('unreachable');
    expect(outcome.response.headers.get('Retry-After')).toBe('7');
    expect(outcome.response.headers.get('x-many')).toBe('a, b');
    expect(outcome.response.headers.get('x-absent')).toBeNull();
  });

  it('never reads a body past the cap: a success is refused, an error keeps its status', async () => {
    expect(await sendRequest(transport, { method: 'GET', url: `${base}/declared-large`, timeoutMs: 5_000 })).toEqual({ ok: false, error: { kind: 'unexpected-response', status: 200, message: `${base.slice(7)} sent a response larger than the app accepts.` } });
    const failing = await sendRequest(transport, { method: 'GET', url: `${base}/declared-large-503`, timeoutMs: 5_000 });
    expect(failing).toMatchObject({ ok: true, response: { status: 503, text: '' } });
    if (failing.ok) expect(failing.response.headers.get('retry-after')).toBe('30');
    expect(await sendRequest(transport, { method: 'GET', url: `${base}/chunked-large`, timeoutMs: 5_000 })).toMatchObject({ ok: false, error: { kind: 'unexpected-response' } });
  });

  it('refuses a redirect, in the words of an unreachable server', async () => {
    expect(await sendRequest(transport, { method: 'GET', url: `${base}/redirect`, timeoutMs: 5_000 })).toEqual({ ok: false, error: { kind: 'network', message: `Can't reach ${base.slice(7)}. Check your internet connection and try again.` } });
  });

  it('names a refused connection and a deadline, with the system code and no URL path', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    expect(await sendRequest(transport, { method: 'GET', url: `http://127.0.0.1:${port}/private/path`, timeoutMs: 5_000 })).toEqual({ ok: false, error: { kind: 'network', code: 'ECONNREFUSED', message: `127.0.0.1:${port} refused the connection. Check the address and port, or try again when the service is running.` } });
    expect(await sendRequest(transport, { method: 'GET', url: `${base}/slow`, timeoutMs: 500 })).toEqual({ ok: false, error: { kind: 'timeout', message: `${base.slice(7)} did not answer within 1 s.` } });
  });

  it('cleans a failing answer of the secrets the request carried', async () => {
    const outcome = await sendRequest(transport, { method: 'POST', url: `${base}/echo-secret`, body: 'tok_abcdefghijklmnop', secrets: ['tok_abcdefghijklmnop'], timeoutMs: 5_000 });
    expect(outcome).toMatchObject({ ok: true, response: { status: 400 } });
    if (outcome.ok) expect(outcome.response.text).not.toContain('tok_abcdefghijklmnop');
  });

  it('a cancelled request says so', async () => {
    const controller = new AbortController();
    const pending = sendRequest(transport, { method: 'GET', url: `${base}/slow`, timeoutMs: 5_000, signal: controller.signal });
    controller.abort();
    expect(await pending).toEqual({ ok: false, error: { kind: 'network', message: `The request to ${base.slice(7)} was cancelled.` } });
  });
});
