/**
 * Connecting an org, end to end with real parts: Chromium clicks the sandbox's sign-in pages, the
 * loopback listener catches the redirect, keytar stores in the private keychain, Data2CRM (the
 * sandbox) registers the application over HTTP. Each connection must end usable by a CRM call,
 * with its secrets only in the keychain.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createData2CrmClient } from '../../main/core/index.js';
import { SAMPLE_CLIENT, SAMPLE_USER_KEY, type Sandbox } from '../sandbox/server.js';
import { createConnectHarness, type ConnectHarness } from '../support/connect-harness.js';
import { externalTokens } from '../support/sandbox-tokens.js';
import { useSandboxAndChromium } from '../support/shared-world.js';

const world = useSandboxAndChromium();
let h: ConnectHarness;
let sandbox: Sandbox;

beforeEach(async () => {
  sandbox = world.sandbox;
  h = await createConnectHarness(sandbox, world.browser);
});
afterEach(async () => {
  await h.cleanup();
  sandbox.control.clearFaults();
});

const d2c = () => createData2CrmClient({ baseUrl: sandbox.urls.data2crmApi, userKey: () => SAMPLE_USER_KEY });

/** Every secret the connection holds, as stored in the keychain. */
async function keychainSecrets(id: string): Promise<string[]> {
  const entry = (await h.store.findAll()).find((e) => e.account === `connection:${id}`);
  expect(entry, 'a keychain entry for the connection').toBeDefined();
  const parsed = JSON.parse(entry!.secret!) as Record<string, string>;
  // `meta` is the record's non-secret metadata (to rebuild it if the record is lost), not a secret.
  return Object.entries(parsed).filter(([k]) => k !== 'v' && k !== 'meta').map(([, v]) => v);
}

async function expectSecretsOnlyInKeychain(id: string) {
  const secrets = [...(await keychainSecrets(id)), SAMPLE_USER_KEY];
  const settingsText = h.settingsText();
  const logText = JSON.stringify(h.logger.lines);
  for (const secret of secrets) {
    expect(settingsText).not.toContain(secret);
    expect(logText).not.toContain(secret);
  }
}

async function expectNothingStored() {
  expect(h.connections.list()).toEqual([]);
  expect((await h.store.findAll()).map((e) => e.account)).toEqual(['data2crm-user-key']);
}

describe('connect: oAuth-internal (Data2CRM sign-in)', () => {
  it('signs in through the sandbox page, registers the application, and the CRM call works', async () => {
    const result = await h.connections.connectInternal({ label: 'Acme production', crmType: 'Salesforce' });
    expect(result.ok, result.ok ? '' : result.error.message).toBe(true);
    if (!result.ok) return;
    const record = result.value;
    expect(record).toMatchObject({ label: 'Acme production', mode: 'internal', instanceUrl: sandbox.urls.origin, orgId: '00DSBX000000001', username: 'demo@sandbox.example', status: 'healthy' });
    expect(h.authBrowser.opened[0]).toMatch(new RegExp(`^${sandbox.urls.data2crmAuth}/authorization/oauth/Salesforce/authorize\\?redirect=http%3A%2F%2F127\\.0\\.0\\.1%3A\\d+%2Fcallback%3Fstate%3D[\\w-]{43}$`));
    const app = sandbox.state.applications.get(record.applicationKey!);
    expect(app).toMatchObject({ authorization: 'oAuth-internal', description: 'Acme production' });
    expect(Object.keys(app!.credentials).sort()).toEqual(['access_token', 'instance_url', 'refresh_token']);
    expect(await d2c().countCrmUsers(record.applicationKey!)).toEqual({ ok: true, value: 1 });
    expect(await keychainSecrets(record.id)).toHaveLength(2);
    await expectSecretsOnlyInKeychain(record.id);
  });

  it('also completes when only the loopback page sees the redirect (it posts location.hash back)', async () => {
    await h.cleanup();
    h = await createConnectHarness(sandbox, world.browser, { captureNavigation: false });
    const result = await h.connections.connectInternal({ label: 'Via listener', crmType: 'Salesforce' });
    expect(result.ok, result.ok ? '' : result.error.message).toBe(true);
  });

  it('"Deny" ends cleanly with the reason and nothing stored', async () => {
    h.authBrowser.nextAction = 'deny';
    const result = await h.connections.connectInternal({ label: 'Denied', crmType: 'Salesforce' });
    expect(result).toMatchObject({ ok: false, error: { kind: 'denied', message: 'Sign-in was not completed: end-user denied authorization.' } });
    await expectNothingStored();
  });

  it('closing the window ends cleanly with nothing stored', async () => {
    h.authBrowser.nextAction = 'wrong-password-then-close';
    const result = await h.connections.connectInternal({ label: 'Closed', crmType: 'Salesforce' });
    expect(result).toMatchObject({ ok: false, error: { kind: 'cancelled' } });
    await expectNothingStored();
  });

  it('a Data2CRM failure while registering removes the stored secrets', async () => {
    sandbox.control.fault({ route: 'd2c.application.create', fault: { kind: 'status', status: 503 }, remaining: 1 });
    const result = await h.connections.connectInternal({ label: 'Unlucky', crmType: 'Salesforce' });
    expect(result).toMatchObject({ ok: false, error: { kind: 'register-failed', api: { kind: 'server-error' } } });
    await expectNothingStored();
  });
});

describe('connect: oAuth-external-refresh (own connected app)', () => {
  it('runs the PKCE flow, registers only instance_url + access_token, keeps the refresh token in the keychain', async () => {
    const result = await h.connections.connectExternal({ label: 'Own app', crmType: 'Salesforce', loginHost: sandbox.urls.salesforceLogin, clientId: SAMPLE_CLIENT.clientId, clientSecret: SAMPLE_CLIENT.clientSecret });
    expect(result.ok, result.ok ? '' : result.error.message).toBe(true);
    if (!result.ok) return;
    const record = result.value;
    expect(record).toMatchObject({ mode: 'external', connectedApp: { clientId: SAMPLE_CLIENT.clientId, callbackPort: h.callbackPort }, userId: '005SBX000000001AAA' });
    expect(record.tokenIssuedAt).toBeGreaterThan(Date.now() - 60_000);
    const app = sandbox.state.applications.get(record.applicationKey!)!;
    expect(app.authorization).toBe('oAuth-external-refresh');
    expect(Object.keys(app.credentials).sort()).toEqual(['access_token', 'instance_url']);
    const secrets = h.vault.secretsOf(record.id)!;
    expect(secrets.refreshToken).toMatch(/^5Aep861/);
    expect(secrets.clientSecret).toBe(SAMPLE_CLIENT.clientSecret);
    expect(Object.values(app.credentials)).not.toContain(secrets.refreshToken);
    expect(await d2c().countCrmUsers(record.applicationKey!)).toEqual({ ok: true, value: 1 });
    await expectSecretsOnlyInKeychain(record.id);
  });

  it('explains a callback port that another program holds', async () => {
    const { createServer } = await import('node:net');
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(h.callbackPort, '127.0.0.1', resolve));
    try {
      const result = await h.connections.connectExternal({ label: 'Blocked', crmType: 'Salesforce', loginHost: sandbox.urls.salesforceLogin, clientId: SAMPLE_CLIENT.clientId });
      expect(result).toMatchObject({ ok: false, error: { kind: 'listener-failed', message: expect.stringContaining(`port ${h.callbackPort} is in use`) } });
    } finally {
      blocker.close();
    }
    await expectNothingStored();
  });

  it('refuses bad input before opening any window', async () => {
    expect(await h.connections.connectExternal({ label: ' ', crmType: 'Salesforce', loginHost: 'login.salesforce.com', clientId: 'x' })).toMatchObject({ ok: false, error: { kind: 'invalid-input' } });
    expect(await h.connections.connectExternal({ label: 'x', crmType: 'Salesforce', loginHost: 'http://evil.example', clientId: 'x' })).toMatchObject({ ok: false, error: { kind: 'invalid-input' } });
    expect(await h.connections.connectExternal({ label: 'x', crmType: 'Salesforce', loginHost: 'login.salesforce.com', clientId: 'has spaces' })).toMatchObject({ ok: false, error: { kind: 'invalid-input' } });
    expect(h.authBrowser.opened).toEqual([]);
  });
});

describe('connect: pasted tokens', () => {
  it('verifies the token with Salesforce, then registers it', async () => {
    const tokens = await externalTokens(sandbox);
    const result = await h.connections.connectManual({ label: 'Pasted', crmType: 'SalesforceSandbox', instanceUrl: tokens.instanceUrl, accessToken: tokens.accessToken });
    expect(result.ok, result.ok ? '' : result.error.message).toBe(true);
    if (!result.ok) return;
    expect(result.value).toMatchObject({ mode: 'manual', crmType: 'SalesforceSandbox', orgId: '00DSBX000000001' });
    expect(sandbox.state.applications.get(result.value.applicationKey!)).toMatchObject({ type: 'SalesforceSandbox', authorization: 'oAuth-external-refresh' });
    expect(await d2c().countCrmUsers(result.value.applicationKey!)).toEqual({ ok: true, value: 1 });
    await expectSecretsOnlyInKeychain(result.value.id);
  });

  it('a dead token fails verification and nothing is stored', async () => {
    const tokens = await externalTokens(sandbox);
    sandbox.control.expireAccessTokens(tokens.accessToken);
    const result = await h.connections.connectManual({ label: 'Dead', crmType: 'Salesforce', instanceUrl: tokens.instanceUrl, accessToken: tokens.accessToken });
    expect(result).toMatchObject({ ok: false, error: { kind: 'verify-failed', api: { kind: 'credentials-rejected' } } });
    expect(result.ok || result.error.message.includes(tokens.accessToken)).toBe(false);
    await expectNothingStored();
  });

  it('an instance URL that is not Salesforce is refused before any request', async () => {
    sandbox.control.clearRequestLog();
    const result = await h.connections.connectManual({ label: 'Phish', crmType: 'Salesforce', instanceUrl: 'https://salesforce.com.evil.example', accessToken: '00DSBX000000001!abcdefghijklmnop' });
    expect(result).toMatchObject({ ok: false, error: { kind: 'invalid-input' } });
    expect(sandbox.control.requestLog()).toEqual([]);
  });
});
