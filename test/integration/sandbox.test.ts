/** The sandbox itself: validation, request log masking, and `npm run sandbox`. */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_USER_KEY, startSandbox, type Sandbox } from '../sandbox/server.js';
import { internalTokens } from '../support/sandbox-tokens.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.close());

const post = (body: unknown) =>
  fetch(`${sandbox.urls.data2crmApi}/application`, { method: 'POST', headers: { 'X-API2CRM-USER-KEY': SAMPLE_USER_KEY, 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });

describe('sandbox Data2CRM validation', () => {
  it('answers the documented error body for bad JSON, bad fields and wrong credential sets', async () => {
    const t = await internalTokens(sandbox);
    const malformed = await post('{not json');
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ title: 'Bad Request', status: 400, detail: { code: 'MALFORMED_REQUEST' } });
    expect((await post({ type: 'Zoho', authorization: 'oAuth-internal', credential: [] })).status).toBe(400);
    const externalWithRefresh = await post({ type: 'Salesforce', authorization: 'oAuth-external-refresh', credential: [{ name: 'instance_url', value: t.instanceUrl }, { name: 'access_token', value: t.accessToken }, { name: 'refresh_token', value: t.refreshToken }] });
    expect(externalWithRefresh.status).toBe(422);
    expect(await externalWithRefresh.json()).toMatchObject({ detail: { code: 'NOT_VALID' } });
    const unauth = await fetch(`${sandbox.urls.data2crmApi}/application/count`);
    expect(unauth.status).toBe(401);
    expect(await unauth.json()).toMatchObject({ detail: { code: 'SERVICE_UNAUTHORIZED' } });
  });

  it('logs requests with every secret masked', async () => {
    const t = await internalTokens(sandbox);
    sandbox.control.clearRequestLog();
    await post({ type: 'Salesforce', authorization: 'oAuth-internal', credential: [{ name: 'instance_url', value: t.instanceUrl }, { name: 'access_token', value: t.accessToken }, { name: 'refresh_token', value: t.refreshToken }] });
    const text = JSON.stringify(sandbox.control.requestLog());
    for (const secret of [SAMPLE_USER_KEY, t.accessToken, t.refreshToken]) expect(text).not.toContain(secret);
    expect(sandbox.control.requestLog()[0]).toMatchObject({ route: 'd2c.application.create', method: 'POST', status: 201 });
  });
});

describe('npm run sandbox', () => {
  it('starts, prints how to point the app at it, and answers on the printed URL', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/sandbox/cli.ts'], { env: { ...process.env, SANDBOX_PORT: '0' } });
    try {
      let out = '';
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no banner: ${out}`)), 15_000);
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes('Press Ctrl+C')) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      expect(out).toContain(`New user key            ${SAMPLE_USER_KEY}`);
      // The one address a person pastes ("Sandbox address") serves the API under /v1 and the control page.
      const address = /Sandbox address\s+(\S+)/.exec(out)?.[1];
      expect(address).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const count = await fetch(`${address}/v1/application/count`, { headers: { 'X-API2CRM-USER-KEY': SAMPLE_USER_KEY } });
      expect(await count.json()).toEqual({ total: 0 });
      expect(await (await fetch(`${address}/`)).text()).toContain('<h1>Sandbox controls</h1>');
      expect(out).toContain(`Controls (expire, revoke, rotation, faults, tokens to paste …): open ${address}/ in a browser`);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
