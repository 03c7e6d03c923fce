/** Contract tests: the Data2CRM client against the sandbox over real HTTP. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createData2CrmClient, type ApiFailure, type ApplicationInput } from '../../main/core/index.js';
import { SAMPLE_USER_KEY, startSandbox, type Sandbox } from '../sandbox/server.js';
import { externalTokens, internalTokens } from '../support/sandbox-tokens.js';

let sandbox: Sandbox;
const client = (userKey: string | null = SAMPLE_USER_KEY, timeoutMs = 2_000) =>
  createData2CrmClient({ baseUrl: sandbox.urls.data2crmApi, userKey: () => userKey, timeoutMs });

beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.close());
afterEach(() => {
  sandbox.control.clearFaults();
  sandbox.control.clearRequestLog();
});

async function internalInput(description = 'Acme CRM'): Promise<ApplicationInput> {
  return { type: 'Salesforce', description, authorization: 'oAuth-internal', credentials: await internalTokens(sandbox) };
}

async function externalInput(): Promise<ApplicationInput & { authorization: 'oAuth-external-refresh' }> {
  const t = await externalTokens(sandbox);
  return { type: 'Salesforce', description: 'Own app', authorization: 'oAuth-external-refresh', credentials: { instanceUrl: t.instanceUrl, accessToken: t.accessToken } };
}

function expectFailure(result: { ok: boolean; error?: ApiFailure }, kind: ApiFailure['kind']): ApiFailure {
  expect(result.ok).toBe(false);
  expect(result.error?.kind).toBe(kind);
  return result.error!;
}

describe('Data2CRM client: applications', () => {
  it('creates, reads, lists, counts, updates and deletes an application', async () => {
    const c = client();
    const before = await c.countApplications();
    const created = await c.createApplication(await internalInput('Acme'));
    expect(created.ok).toBe(true);
    const key = created.ok ? created.value : '';

    const app = await c.getApplication(key);
    expect(app.ok && app.value).toMatchObject({ key, type: 'Salesforce', authorization: 'oAuth-internal', description: 'Acme', is_authorized: true, me: { name: 'Demo User' } });
    const listed = await c.listApplications(1, 100);
    expect(listed.ok && listed.value.map((a) => a.key)).toContain(key);
    expect(await c.countApplications()).toEqual({ ok: true, value: (before.ok ? before.value : 0) + 1 });

    const updated = await c.updateApplication(key, await internalInput('Acme renamed'));
    expect(updated).toEqual({ ok: true, value: undefined });
    const reread = await c.getApplication(key);
    expect(reread.ok && reread.value.description).toBe('Acme renamed');

    expect(await c.deleteApplication(key)).toEqual({ ok: true, value: undefined });
    expectFailure(await c.getApplication(key), 'not-found');
    expectFailure(await c.deleteApplication(key), 'not-found');
  });

  it('falls back to /application/list when /application is not found', async () => {
    sandbox.control.fault({ route: 'd2c.application.list', fault: { kind: 'status', status: 404, body: JSON.stringify({ title: 'Not Found', status: 404, detail: { code: 'ENTITY_NOT_FOUND', message: 'no such route' } }) }, remaining: 1 });
    const listed = await client().listApplications(1, 10);
    expect(listed.ok).toBe(true);
    expect(sandbox.control.requestLog().map((r) => r.path)).toEqual(['/v1/application?page=1&page_size=10', '/v1/application/list?page=1&page_size=10']);
  });

  it('sends only instance_url and access_token for oAuth-external-refresh, and the user key header', async () => {
    const input = await externalInput();
    sandbox.control.clearRequestLog();
    const created = await client().createApplication(input);
    expect(created.ok).toBe(true);
    const [request] = sandbox.control.requestLog();
    expect(request?.headers['x-api2crm-user-key']).toBe(`***${SAMPLE_USER_KEY.slice(-4)}`);
    expect((request?.body as { credential: Array<{ name: string }> }).credential.map((c) => c.name)).toEqual(['instance_url', 'access_token']);
    expect(request?.body).toMatchObject({ type: 'Salesforce', authorization: 'oAuth-external-refresh', description: 'Own app' });
  });
});

describe('Data2CRM client: health and CRM calls', () => {
  it('an internal application stays healthy after its access token dies (Data2CRM refreshes it)', async () => {
    const c = client();
    const created = await c.createApplication(await internalInput());
    const key = created.ok ? created.value : '';
    expect(await c.checkHealth(key)).toEqual({ ok: true, value: { applicationKey: key, crmUserCount: 1 } });
    sandbox.control.expireAccessTokens();
    expect((await c.checkHealth(key)).ok).toBe(true);
  });

  it('an internal application whose refresh token is revoked is reported not authorized', async () => {
    const c = client();
    const input = await internalInput();
    const created = await c.createApplication(input);
    const key = created.ok ? created.value : '';
    sandbox.control.expireAccessTokens();
    sandbox.control.revokeRefreshToken(input.authorization === 'oAuth-internal' ? input.credentials.refreshToken : '');
    const health = expectFailure(await c.checkHealth(key), 'credentials-rejected');
    expect(health.message).toMatch(/not authorized/);
    expectFailure(await c.countCrmUsers(key), 'credentials-rejected');
  });

  it('an external application answers 401 UNAUTHORIZED once the token is dead, until a PUT brings a live one', async () => {
    const c = client();
    const created = await c.createApplication(await externalInput());
    const key = created.ok ? created.value : '';
    expect((await c.countCrmUsers(key)).ok).toBe(true);
    sandbox.control.expireAccessTokens();
    const dead = expectFailure(await c.countCrmUsers(key), 'credentials-rejected');
    expect(dead).toMatchObject({ code: 'UNAUTHORIZED' });
    expect(await c.updateApplication(key, await externalInput())).toEqual({ ok: true, value: undefined });
    expect(await c.countCrmUsers(key)).toEqual({ ok: true, value: 1 });
  });

  it('refuses credentials Salesforce does not accept at create time', async () => {
    const input = await externalInput();
    sandbox.control.expireAccessTokens();
    expectFailure(await client().createApplication(input), 'credentials-rejected');
  });
});

describe('Data2CRM client: error mapping', () => {
  it('maps a wrong user key to service-key-rejected, and a missing one without calling', async () => {
    expectFailure(await client('not-a-key').countApplications(), 'service-key-rejected');
    sandbox.control.clearRequestLog();
    expectFailure(await client(null).countApplications(), 'service-key-rejected');
    expect(sandbox.control.requestLog()).toHaveLength(0);
  });

  it('maps validation errors (400 NOT_VALID, 422 wrong credential set) to invalid-request with the server reason', async () => {
    const bad = { ...(await internalInput()), type: 'Hubspot' } as unknown as ApplicationInput;
    const notValid = expectFailure(await client().createApplication(bad), 'invalid-request');
    expect(notValid).toMatchObject({ code: 'NOT_VALID' });
    expect(notValid.message).toContain('type: must be one of');
    // The typed input cannot express a wrong credential set, so the 422 comes from the sandbox's fault switch.
    sandbox.control.fault({ route: 'd2c.application.create', fault: { kind: 'status', status: 422, body: JSON.stringify({ title: 'Unprocessable Entity', status: 422, detail: { code: 'NOT_VALID', message: 'credential: oAuth-internal takes exactly instance_url, access_token, refresh_token' } }) }, remaining: 1 });
    const unprocessable = expectFailure(await client().createApplication(await internalInput()), 'invalid-request');
    expect(unprocessable.message).toContain('takes exactly instance_url');
  });

  it('maps 403 codes to forbidden', async () => {
    sandbox.control.fault({ route: 'd2c.application.create', fault: { kind: 'status', status: 403, body: JSON.stringify({ title: 'Forbidden', status: 403, detail: { code: 'SERVICE_CONNECTED_APPLICATIONS_LIMIT', message: 'Connected applications limit reached' } }) }, remaining: 1 });
    const failure = expectFailure(await client().createApplication(await internalInput()), 'forbidden');
    expect(failure).toMatchObject({ code: 'SERVICE_CONNECTED_APPLICATIONS_LIMIT' });
    expect(failure.message).toContain('limit reached');
  });

  it('maps 429 with Retry-After to rate-limited with the delay, and 5xx to server-error', async () => {
    sandbox.control.fault({ route: 'd2c.application.count', fault: { kind: 'status', status: 429, retryAfter: '30' }, remaining: 1 });
    expect(expectFailure(await client().countApplications(), 'rate-limited')).toMatchObject({ retryAfterMs: 30_000 });
    sandbox.control.fault({ route: 'd2c.application.count', fault: { kind: 'status', status: 503, retryAfter: 'Wed, 21 Oct 2099 07:28:00 GMT' }, remaining: 1 });
    const failure = expectFailure(await client().countApplications(), 'server-error');
    expect(failure).toMatchObject({ status: 503 });
    expect((failure as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(0);
  });

  it('maps a hanging server to timeout and a reset connection to network', async () => {
    sandbox.control.fault({ route: 'd2c.application.count', fault: { kind: 'hang' }, remaining: 1 });
    expect(expectFailure(await client(SAMPLE_USER_KEY, 300).countApplications(), 'timeout').message).toMatch(/did not answer within/);
    sandbox.control.fault({ route: 'd2c.application.count', fault: { kind: 'reset' }, remaining: 1 });
    expectFailure(await client().countApplications(), 'network');
  });

  it('a caller can cancel a call', async () => {
    sandbox.control.fault({ route: 'd2c.application.count', fault: { kind: 'hang' }, remaining: 1 });
    const controller = new AbortController();
    const pending = client(SAMPLE_USER_KEY, 10_000).countApplications({ signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    expect(expectFailure(await pending, 'network').message).toContain('cancelled');
  });
});
