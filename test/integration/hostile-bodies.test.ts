/**
 * Error parsing on hostile bodies, over real HTTP: HTML pages, empty bodies, invalid JSON, JSON
 * of the wrong shape, bodies of several megabytes. Each maps to a clear failure, never a crash,
 * and no message carries a secret.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createData2CrmClient, type ApiFailure, type ApiResult } from '../../main/core/index.js';
import { SAMPLE_USER_KEY, startSandbox, type Sandbox } from '../sandbox/server.js';
import { externalTokens, sandboxOAuthClient } from '../support/sandbox-tokens.js';

let sandbox: Sandbox;
let refreshToken = '';
beforeAll(async () => {
  sandbox = await startSandbox();
  refreshToken = (await externalTokens(sandbox)).refreshToken!;
});
afterAll(() => sandbox.close());
afterEach(() => sandbox.control.clearFaults());

const SECRET_IN_BODY = '00DSBX000000001!AQ4AQFakeButLongEnoughTokenValue0123456789abcdef';
const huge = 'x'.repeat(5 * 1024 * 1024);

const cases: Array<{ name: string; status: number; body: string; contentType?: string; d2c: ApiFailure['kind']; sf: ApiFailure['kind'] }> = [
  { name: 'an HTML error page (502)', status: 502, body: '<!doctype html><h1>Bad gateway</h1>', contentType: 'text/html', d2c: 'server-error', sf: 'server-error' },
  { name: 'an HTML page with 200', status: 200, body: '<html><body>Login</body></html>', contentType: 'text/html', d2c: 'unexpected-response', sf: 'unexpected-response' },
  // Not one of Salesforce's own terminal answers: retried slowly, not "re-authorize" (tracker #10).
  { name: 'an empty 401', status: 401, body: '', d2c: 'unexpected-response', sf: 'unexpected-response' },
  { name: 'an empty 200', status: 200, body: '', d2c: 'unexpected-response', sf: 'unexpected-response' },
  { name: 'invalid JSON', status: 200, body: '{"key": "abc", ', d2c: 'unexpected-response', sf: 'unexpected-response' },
  { name: 'JSON of the wrong shape', status: 200, body: '[{"is_authorized": "yes"}, 42]', d2c: 'unexpected-response', sf: 'unexpected-response' },
  { name: 'an error body of the wrong shape (400)', status: 400, body: '{"detail": 7, "error": {"nested": true}}', d2c: 'invalid-request', sf: 'unexpected-response' },
  { name: 'a 5 MB success body', status: 200, body: huge, d2c: 'unexpected-response', sf: 'unexpected-response' },
  { name: 'a 5 MB error page (503)', status: 503, body: huge, contentType: 'text/html', d2c: 'server-error', sf: 'server-error' },
  { name: 'an error message that echoes a token', status: 400, body: JSON.stringify({ detail: { code: 'NOT_VALID', message: `bad token ${SECRET_IN_BODY}` }, error: 'invalid_request', error_description: `bad token ${SECRET_IN_BODY}` }), d2c: 'invalid-request', sf: 'invalid-request' },
];

function check(result: ApiResult<unknown>, kind: ApiFailure['kind']) {
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.error.kind).toBe(kind);
  expect(result.error.message.length).toBeGreaterThan(10);
  expect(result.error.message.length).toBeLessThan(400);
  for (const secret of [SAMPLE_USER_KEY, SECRET_IN_BODY, refreshToken]) expect(result.error.message).not.toContain(secret);
}

describe.each(cases)('hostile body: $name', ({ status, body, contentType, d2c, sf }) => {
  it(`Data2CRM client → ${d2c}`, async () => {
    sandbox.control.fault({ route: 'd2c.application.get', fault: { kind: 'status', status, body, contentType: contentType ?? 'application/json' }, remaining: 1 });
    const client = createData2CrmClient({ baseUrl: sandbox.urls.data2crmApi, userKey: () => SAMPLE_USER_KEY, timeoutMs: 5_000 });
    check(await client.getApplication('app_any'), d2c);
  });

  it(`Salesforce client → ${sf}`, async () => {
    sandbox.control.fault({ route: 'sf.token', fault: { kind: 'status', status, body, contentType: contentType ?? 'application/json' }, remaining: 1 });
    check(await sandboxOAuthClient(sandbox, { timeoutMs: 5_000 }).refresh(refreshToken), sf);
  });
});

describe('a compressed body', () => {
  // Its declared length is the compressed size: what it inflates to is counted against the cap.
  it.each(['fetch', 'undici'] as const)('that inflates past the cap is refused, and one within it is read whole (%s transport)', async (name) => {
    const { createServer } = await import('node:http');
    const { gzipSync } = await import('node:zlib');
    const { sendRequest } = await import('../../main/core/http/request.js');
    const { globalFetchTransport } = await import('../../main/core/http/fetch-transport.js');
    const { createUndiciTransport } = await import('../../main/adapters/undici-transport.js');
    const transport = name === 'fetch' ? globalFetchTransport : createUndiciTransport();
    const bomb = gzipSync(Buffer.alloc(8 * 1024 * 1024, 'a'));
    const small = gzipSync(Buffer.from('{"ok":true}'));
    const server = createServer((req, res) => {
      const body = req.url === '/bomb' ? bomb : small;
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': body.length });
      res.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as { port: number };
      expect(bomb.length).toBeLessThan(1024 * 1024);
      const refused = await sendRequest(transport, { method: 'GET', url: `http://127.0.0.1:${port}/bomb`, timeoutMs: 5_000 });
      expect(refused).toMatchObject({ ok: false, error: { kind: 'unexpected-response' } });
      const read = await sendRequest(transport, { method: 'GET', url: `http://127.0.0.1:${port}/small`, timeoutMs: 5_000 });
      expect(read).toMatchObject({ ok: true, response: { status: 200, text: '{"ok":true}' } });
    } finally {
      server.close();
    }
  });
});
