/** The actions the re-authorize / update dialog offers, against the sandbox. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SAMPLE_CLIENT, type Sandbox } from '../sandbox/server.js';
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
afterEach(() => h.cleanup());

describe('connection actions', () => {
  it('re-authorize (external) signs in again, stores the new refresh token and pushes the new access token', async () => {
    const connected = await h.connections.connectExternal({ label: 'Own', crmType: 'Salesforce', loginHost: sandbox.urls.salesforceLogin, clientId: SAMPLE_CLIENT.clientId, clientSecret: SAMPLE_CLIENT.clientSecret });
    if (!connected.ok) throw new Error(connected.error.message);
    const old = h.vault.secretsOf(connected.value.id)!;
    sandbox.control.revokeRefreshToken(old.refreshToken!);
    const result = await h.connections.reauthorize(connected.value.id);
    expect(result.ok, result.ok ? '' : result.error.message).toBe(true);
    const fresh = h.vault.secretsOf(connected.value.id)!;
    expect(fresh.refreshToken).not.toBe(old.refreshToken);
    expect(fresh.clientSecret).toBe(SAMPLE_CLIENT.clientSecret);
    expect(sandbox.state.applications.get(connected.value.applicationKey!)!.credentials['access_token']).toBe(fresh.accessToken);
    expect(result.ok && result.value.status).toBe('healthy');
  });

  it('re-authorize (internal) pushes all three values to Data2CRM', async () => {
    const connected = await h.connections.connectInternal({ label: 'Acme', crmType: 'Salesforce' });
    if (!connected.ok) throw new Error(connected.error.message);
    const result = await h.connections.reauthorize(connected.value.id);
    expect(result.ok).toBe(true);
    const app = sandbox.state.applications.get(connected.value.applicationKey!)!;
    expect(app.credentials['refresh_token']).toBe(h.vault.secretsOf(connected.value.id)!.refreshToken);
  });

  it('pasted tokens are verified, must belong to the same org, then replace the old ones', async () => {
    const first = await externalTokens(sandbox);
    const connected = await h.connections.connectManual({ label: 'Pasted', crmType: 'Salesforce', instanceUrl: first.instanceUrl, accessToken: first.accessToken });
    if (!connected.ok) throw new Error(connected.error.message);
    expect(await h.connections.updateWithTokens(connected.value.id, { accessToken: 'not a token' })).toMatchObject({ ok: false, error: { kind: 'invalid-input' } });
    sandbox.control.addUser({ username: 'other@sandbox.example', password: 'pw', userId: '005OTHER00000001AAA', orgId: '00DOTHERORG0001', displayName: 'Other' });
    const other = sandbox.state.issueTokens('005OTHER00000001AAA', SAMPLE_CLIENT.clientId, false);
    expect(await h.connections.updateWithTokens(connected.value.id, { accessToken: other.accessToken })).toMatchObject({ ok: false, error: { kind: 'invalid-input', message: expect.stringContaining('different Salesforce org') } });
    const second = await externalTokens(sandbox);
    const updated = await h.connections.updateWithTokens(connected.value.id, { accessToken: second.accessToken });
    expect(updated.ok).toBe(true);
    expect(sandbox.state.applications.get(connected.value.applicationKey!)!.credentials['access_token']).toBe(second.accessToken);
  });

  it('an application deleted in Data2CRM is registered again with the stored tokens', async () => {
    const t = await externalTokens(sandbox);
    const connected = await h.connections.connectManual({ label: 'Pasted', crmType: 'Salesforce', instanceUrl: t.instanceUrl, accessToken: t.accessToken });
    if (!connected.ok) throw new Error(connected.error.message);
    sandbox.state.applications.delete(connected.value.applicationKey!);
    const again = await h.connections.registerAgain(connected.value.id);
    expect(again.ok).toBe(true);
    if (!again.ok) return;
    expect(again.value.applicationKey).not.toBe(connected.value.applicationKey);
    expect(sandbox.state.applications.has(again.value.applicationKey!)).toBe(true);
  });
});
