/**
 * Issue #25 item 2: a pasted refresh token is usable only with the consumer key of the app that
 * issued it. With the key the connection is kept alive like an own-app one through a simulated
 * day (refreshes before expiry, rotation stored first, pushes to Data2CRM, no notice); without it
 * the refresh token is refused and the pasted access token lasts until it dies. Real parts: the
 * sandbox over HTTP, the private keychain, the SQLite state store; a fake clock the sandbox follows.
 */
import type { Browser } from '@playwright/test';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SAMPLE_CLIENT, SAMPLE_USER, startSandbox, type Sandbox } from '../sandbox/server.js';
import { launchChromium } from '../support/chromium.js';
import { createConnectHarness, type ConnectHarness } from '../support/connect-harness.js';
import { createKeepAliveHarness } from '../support/keep-alive-harness.js';
import { storedConnections } from '../support/state-db.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
let sandbox: Sandbox;
let browser: Browser;
let h: ConnectHarness;
let k: ReturnType<typeof createKeepAliveHarness> | undefined;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(() => browser.close());
beforeEach(async () => {
  sandbox = await startSandbox();
  h = await createConnectHarness(sandbox, browser);
});
afterEach(async () => {
  k?.keepAlive.stop();
  k = undefined;
  await h.cleanup();
  await sandbox.close();
});

/** What the control page's "Issue tokens to paste" hands out: tokens of the sample app for the sample user. */
function pastedTokens() {
  const issued = sandbox.state.issueTokens(sandbox.state.users.get(SAMPLE_USER.username)!.userId, SAMPLE_CLIENT.clientId, true);
  return { instanceUrl: sandbox.urls.origin, accessToken: issued.accessToken, refreshToken: issued.refreshToken! };
}

const pasted = (label: string, tokens: ReturnType<typeof pastedTokens>) => ({ label, crmType: 'Salesforce' as const, ...tokens });
const tokenCalls = () => sandbox.control.requestLog().filter((r) => r.route === 'sf.token');

describe('a pasted refresh token with the consumer key of the app that issued it', () => {
  it('renews through a simulated day: refreshed before each expiry, rotated tokens stored first, Data2CRM never holds a dead token, no notice', async () => {
    sandbox.control.setRotation(true);
    const tokens = pastedTokens();
    const connected = await h.connections.connectPastedWithApp({ ...pasted('Pasted with key', tokens), clientId: SAMPLE_CLIENT.clientId });
    if (!connected.ok) throw new Error(connected.error.message);
    const record = connected.value;
    // Kept alive like an own app: the app's consumer key, the instance's own token endpoint.
    expect(record).toMatchObject({ mode: 'external', connectedApp: { clientId: SAMPLE_CLIENT.clientId }, loginBaseUrl: sandbox.urls.origin, status: 'healthy' });
    // The one refresh at connect proved the pair; with rotation the pasted refresh token is dead now.
    expect(sandbox.state.liveRefreshToken(tokens.refreshToken)).toBeNull();

    k = createKeepAliveHarness(sandbox, h, { sessionLifetimeMs: 2 * HOUR, skewMs: 10 * MIN, jitterMs: 0, verifyIntervalMs: HOUR });
    sandbox.control.clearRequestLog();
    k.keepAlive.start();
    const applicationKey = record.applicationKey!;
    let worstDeadMs = 0;
    const held = () => sandbox.state.applications.get(applicationKey)!.credentials['access_token']!;
    const deadFor = (token: string) => Math.max(0, sandbox.state.now() - sandbox.state.accessTokens.get(token)!.expiresAt);
    await k.advance(24 * HOUR, async () => void (worstDeadMs = Math.max(worstDeadMs, deadFor(held()))));

    // 24 h of 2 h tokens, refreshed 10 min early: about 13 refreshes, each one pushed.
    expect(tokenCalls().length).toBeGreaterThanOrEqual(11);
    expect(tokenCalls().every((call) => call.status === 200)).toBe(true);
    expect(worstDeadMs).toBe(0);
    expect(sandbox.state.liveAccessToken(held())).not.toBeNull();
    expect(k.record(record.id)).toMatchObject({ status: 'healthy', pushPending: false });
    expect(k.notices).toEqual([]);

    // A fresh start reads the newest rotated refresh token from the keychain and the record from the state database.
    const restarted = await h.restart();
    const stored = restarted.vault.secretsOf(record.id)!;
    expect(sandbox.state.liveRefreshToken(stored.refreshToken)).not.toBeNull();
    expect(storedConnections(h.statePath).find((c) => c['id'] === record.id)).toMatchObject({ mode: 'external', status: 'healthy', connectedApp: { clientId: SAMPLE_CLIENT.clientId } });
  });

  it('its keychain entry gone, it asks for pasted tokens, not for a sign-in it never had', async () => {
    const connected = await h.connections.connectPastedWithApp({ ...pasted('Entry gone', pastedTokens()), clientId: SAMPLE_CLIENT.clientId });
    if (!connected.ok) throw new Error(connected.error.message);
    await h.store.delete(`connection:${connected.value.id}`);
    await h.vault.loadAll();
    k = createKeepAliveHarness(sandbox, h, { sessionLifetimeMs: 2 * HOUR, skewMs: 10 * MIN, jitterMs: 0, verifyIntervalMs: HOUR });
    await k.keepAlive.refreshNow(connected.value.id);
    expect(k.record(connected.value.id)).toMatchObject({ status: 'needs-reauthorization', statusDetail: 'The keychain entry of this connection is missing or unreadable. Paste new tokens.' });
  });

  it('a refresh token the key does not go with, or a wrong key, is said under the field to fix; nothing is kept', async () => {
    const tokens = pastedTokens();
    sandbox.control.addConnectedApp({ clientId: 'another-app', requireSecret: false, callbackUrls: [] });
    const otherApp = await h.connections.connectPastedWithApp({ ...pasted('Other app', tokens), clientId: 'another-app' });
    expect(otherApp).toMatchObject({ ok: false, error: { field: 'refreshToken', message: expect.stringMatching(/^Salesforce does not accept this refresh token with this consumer key/) } });
    const unknownKey = await h.connections.connectPastedWithApp({ ...pasted('Unknown key', tokens), clientId: 'NoSuchConsumerKey' });
    expect(unknownKey).toMatchObject({ ok: false, error: { field: 'clientId', message: expect.stringMatching(/^Salesforce does not know this consumer key/) } });
    // An app that wants its secret to refresh (PKCE not enabled for it): said under the secret.
    sandbox.state.apps.get(SAMPLE_CLIENT.clientId)!.requireSecret = true;
    const noSecret = await h.connections.connectPastedWithApp({ ...pasted('No secret', tokens), clientId: SAMPLE_CLIENT.clientId });
    expect(noSecret).toMatchObject({ ok: false, error: { field: 'clientSecret', message: expect.stringContaining('Consumer Secret') } });
    expect(h.settings.get().connections).toEqual([]);
    expect(sandbox.state.applications.size).toBe(0);
    // The refresh token still works: nothing used it up.
    expect(sandbox.state.liveRefreshToken(tokens.refreshToken)).not.toBeNull();
  });

  it('new tokens for it are pasted, never signed in for (no sign-in with that app was set up): the refresh token is needed and must go with its key; nothing changes until it does', async () => {
    const connected = await h.connections.connectPastedWithApp({ ...pasted('Pasted with key', pastedTokens()), clientId: SAMPLE_CLIENT.clientId });
    if (!connected.ok) throw new Error(connected.error.message);
    const id = connected.value.id;
    expect(connected.value.connectedApp).toMatchObject({ pasted: true });
    const before = h.vault.secretsOf(id);
    expect(await h.connections.reauthorize(id)).toMatchObject({ ok: false, error: { message: 'This connection uses pasted tokens: paste new ones instead.' } });
    const fresh = pastedTokens();
    expect(await h.connections.updateWithTokens(id, { accessToken: fresh.accessToken })).toMatchObject({ ok: false, error: { field: 'refreshToken', message: 'Paste the new refresh token too: the app renews this connection with it.' } });
    sandbox.control.addConnectedApp({ clientId: 'another-app', requireSecret: false, callbackUrls: [] });
    const other = sandbox.state.issueTokens(sandbox.state.users.get(SAMPLE_USER.username)!.userId, 'another-app', true);
    expect(await h.connections.updateWithTokens(id, { accessToken: other.accessToken, refreshToken: other.refreshToken! })).toMatchObject({ ok: false, error: { field: 'refreshToken', message: expect.stringMatching(/^Salesforce does not accept this refresh token with this connection’s consumer key/) } });
    expect(h.vault.secretsOf(id)).toEqual(before);
    // The pair from the same app: renewed at once with the connection's key, and kept.
    const updated = await h.connections.updateWithTokens(id, { accessToken: fresh.accessToken, refreshToken: fresh.refreshToken });
    expect(updated).toMatchObject({ ok: true, value: { status: 'healthy', connectedApp: { clientId: SAMPLE_CLIENT.clientId, pasted: true } } });
    const kept = h.vault.secretsOf(id)!;
    expect(sandbox.state.liveAccessToken(kept.accessToken)).not.toBeNull();
    expect(sandbox.state.liveRefreshToken(kept.refreshToken!)).not.toBeNull();
  });
});

describe('pasted tokens without a consumer key', () => {
  it('refuses a refresh token it could never use, and lasts until the access token dies: then one notice asks for new tokens', async () => {
    const tokens = pastedTokens();
    const withRefresh = await h.connections.connectManual(pasted('Pasted', tokens));
    expect(withRefresh).toMatchObject({ ok: false, error: { field: 'clientId', message: expect.stringContaining('works only with the consumer key of the app that issued it') } });
    const connected = await h.connections.connectManual({ label: 'Pasted', crmType: 'Salesforce', instanceUrl: tokens.instanceUrl, accessToken: tokens.accessToken });
    if (!connected.ok) throw new Error(connected.error.message);
    expect(connected.value).toMatchObject({ mode: 'manual', connectedApp: null });
    expect(h.vault.secretsOf(connected.value.id)).not.toHaveProperty('refreshToken');

    k = createKeepAliveHarness(sandbox, h, { sessionLifetimeMs: 2 * HOUR, jitterMs: 0, verifyIntervalMs: HOUR });
    sandbox.control.clearRequestLog();
    k.keepAlive.start();
    await k.advance(3 * HOUR);
    expect(tokenCalls()).toEqual([]);
    expect(k.record(connected.value.id)).toMatchObject({ status: 'needs-reauthorization', statusDetail: expect.stringContaining('Paste new tokens') });
    expect(k.notices).toHaveLength(1);
  });
});
