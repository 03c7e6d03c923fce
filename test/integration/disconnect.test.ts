/**
 * Disconnect is idempotent and resumable: interrupted after each step, a retry (or a restarted
 * app) finishes the job, and nothing is lost on the way: the keychain entry stays until Data2CRM
 * and Salesforce are done with it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Notice } from '../../main/core/keepalive/notification-policy.js';
import type { ConnectionRecord } from '../../main/core/settings/schema.js';
import { activityWords } from '../../shared/activity-words.js';
import { SAMPLE_CLIENT, type Sandbox } from '../sandbox/server.js';
import { createConnectHarness, type ConnectHarness, type HarnessOptions } from '../support/connect-harness.js';
import { failingSecretStore, failingStateWrites, type FailSwitch } from '../support/failing.js';
import { composeOverHarness } from '../support/harness-core.js';
import { externalTokens } from '../support/sandbox-tokens.js';
import { useSandboxAndChromium } from '../support/shared-world.js';

const world = useSandboxAndChromium();
let sandbox: Sandbox;
const harnesses: ConnectHarness[] = [];

beforeEach(() => {
  sandbox = world.sandbox;
});
afterEach(async () => {
  sandbox.control.clearFaults();
  sandbox.control.setRevokeNeedsClientAuth(false);
  for (const h of harnesses.splice(0)) await h.cleanup();
});

async function harness(options: HarnessOptions = {}) {
  const h = await createConnectHarness(sandbox, world.browser, options);
  harnesses.push(h);
  return h;
}

async function connectExternal(h: ConnectHarness): Promise<ConnectionRecord> {
  const result = await h.connections.connectExternal({ label: 'Own app', crmType: 'Salesforce', loginHost: sandbox.urls.salesforceLogin, clientId: SAMPLE_CLIENT.clientId, clientSecret: SAMPLE_CLIENT.clientSecret });
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

async function connectManual(h: ConnectHarness): Promise<ConnectionRecord> {
  const t = await externalTokens(sandbox);
  const result = await h.connections.connectManual({ label: 'Pasted', crmType: 'Salesforce', instanceUrl: t.instanceUrl, accessToken: t.accessToken });
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

async function expectGone(h: ConnectHarness, record: ConnectionRecord, refreshToken?: string, settings = h.settings) {
  expect(sandbox.state.applications.has(record.applicationKey!)).toBe(false);
  expect((await h.store.findAll()).map((e) => e.account)).not.toContain(`connection:${record.id}`);
  expect(settings.get().connections.find((c) => c.id === record.id)).toBeUndefined();
  if (refreshToken) expect(sandbox.state.liveRefreshToken(refreshToken)).toBeNull();
}

describe('disconnect', () => {
  it('deletes the application, revokes the refresh token (external), deletes the keychain entry and the record', async () => {
    const h = await harness();
    const record = await connectExternal(h);
    const refreshToken = h.vault.secretsOf(record.id)!.refreshToken!;
    expect(await h.connections.disconnect(record.id)).toEqual({ ok: true, value: { notRevoked: null } });
    await expectGone(h, record, refreshToken);
    expect(await h.connections.disconnect(record.id)).toMatchObject({ ok: false, error: { kind: 'not-found' } });
  });

  it('an application already deleted in Data2CRM does not block it', async () => {
    const h = await harness();
    const record = await connectManual(h);
    sandbox.state.applications.delete(record.applicationKey!);
    expect((await h.connections.disconnect(record.id)).ok).toBe(true);
    await expectGone(h, record);
  });

  it('interrupted at "delete application" (Data2CRM down): nothing is removed, a restarted app resumes and finishes', async () => {
    const h = await harness();
    const record = await connectExternal(h);
    sandbox.control.fault({ route: 'd2c.application.delete', fault: { kind: 'status', status: 503 }, remaining: 1 });
    expect(await h.connections.disconnect(record.id)).toMatchObject({ ok: false, error: { kind: 'step-failed', step: 'delete-application' } });
    expect(sandbox.state.applications.has(record.applicationKey!)).toBe(true);
    expect(h.vault.secretsOf(record.id)).not.toBeNull();
    expect(h.settings.get().connections[0]).toMatchObject({ status: 'disconnecting', disconnect: { applicationDeleted: false, tokenRevoked: false } });

    const restarted = await h.restart();
    expect(await restarted.connections.disconnect(record.id)).toEqual({ ok: true, value: { notRevoked: null } });
    await expectGone(h, record, undefined, restarted.settings);
  });

  it('interrupted at "revoke" (Salesforce unreachable): the refresh token stays in the keychain until it is revoked', async () => {
    const h = await harness();
    const record = await connectExternal(h);
    const refreshToken = h.vault.secretsOf(record.id)!.refreshToken!;
    sandbox.control.fault({ route: 'sf.revoke', fault: { kind: 'reset' }, remaining: 1 });
    expect(await h.connections.disconnect(record.id)).toMatchObject({ ok: false, error: { kind: 'step-failed', step: 'revoke' } });
    expect(sandbox.state.applications.has(record.applicationKey!)).toBe(false);
    expect(h.vault.secretsOf(record.id)?.refreshToken).toBe(refreshToken);
    expect(sandbox.state.liveRefreshToken(refreshToken)).not.toBeNull();
    expect(h.settings.get().connections[0]?.disconnect).toEqual({ applicationDeleted: true, tokenRevoked: false });

    sandbox.control.clearRequestLog();
    expect((await h.connections.disconnect(record.id)).ok).toBe(true);
    expect(sandbox.control.requestLog().map((r) => r.route)).toEqual(['sf.revoke']);
    await expectGone(h, record, refreshToken);
  });

  it('interrupted at "delete keychain entry": the retry deletes it without repeating earlier steps', async () => {
    const fail: FailSwitch = { times: 0 };
    const h = await harness({ wrapStore: (s) => failingSecretStore(s, 'delete', fail) });
    const record = await connectExternal(h);
    fail.times = 1;
    expect(await h.connections.disconnect(record.id)).toMatchObject({ ok: false, error: { kind: 'step-failed', step: 'delete-secrets' } });
    expect(h.settings.get().connections[0]?.disconnect).toEqual({ applicationDeleted: true, tokenRevoked: true });
    sandbox.control.clearRequestLog();
    expect((await h.connections.disconnect(record.id)).ok).toBe(true);
    expect(sandbox.control.requestLog()).toEqual([]);
    await expectGone(h, record);
  });

  it('a settings write failing mid-way is reported, not thrown, and the retry continues', async () => {
    const fail: FailSwitch = { times: 0 };
    const h = await harness({ wrapState: (s) => failingStateWrites(s, fail) });
    const record = await connectManual(h);
    Object.assign(fail, { skip: 1, times: 1 });
    expect(await h.connections.disconnect(record.id)).toMatchObject({ ok: false, error: { kind: 'step-failed', step: 'delete-application' } });
    expect(h.vault.secretsOf(record.id)).not.toBeNull();
    expect((await h.connections.disconnect(record.id)).ok).toBe(true);
    await expectGone(h, record);
  });

  it('interrupted at "remove record": the retry removes it', async () => {
    const fail: FailSwitch = { times: 0 };
    const h = await harness({ wrapState: (s) => failingStateWrites(s, fail) });
    const record = await connectManual(h);
    // Disconnect writes its progress three times, then removes the record: fail that fourth write.
    Object.assign(fail, { skip: 3, times: 1 });
    expect(await h.connections.disconnect(record.id)).toMatchObject({ ok: false, error: { kind: 'step-failed', step: 'remove-record' } });
    expect(h.vault.secretsOf(record.id)).toBeNull();
    expect((await h.connections.disconnect(record.id)).ok).toBe(true);
    await expectGone(h, record);
  });

  it('revokes as RFC 7009 asks: the client authenticates (consumer key and secret), so a standard OAuth server ends the grant too', async () => {
    sandbox.control.setRevokeNeedsClientAuth(true);
    const h = await harness();
    const record = await connectExternal(h);
    const refreshToken = h.vault.secretsOf(record.id)!.refreshToken!;
    sandbox.control.clearRequestLog();
    const result = await h.connections.disconnect(record.id);
    // The grant really ended at the server, and nothing says otherwise.
    expect(sandbox.state.liveRefreshToken(refreshToken)).toBeNull();
    expect(result).toEqual({ ok: true, value: { notRevoked: null } });
    await expectGone(h, record, refreshToken);
    const revoke = sandbox.control.requestLog().find((r) => r.route === 'sf.revoke')!;
    expect(revoke.status).toBe(200);
    expect(Object.keys(revoke.body as Record<string, string>).sort()).toEqual(['client_id', 'client_secret', 'token']);
  });

  it('a revocation the server refuses is said, never called a success: the app shows it, notifies, and the log keeps it', async () => {
    sandbox.control.setRevokeNeedsClientAuth(true);
    const h = await harness();
    // Connected without the consumer secret: the strict server will not take the revocation.
    const connected = await h.connections.connectExternal({ label: 'Own app', crmType: 'Salesforce', loginHost: sandbox.urls.salesforceLogin, clientId: SAMPLE_CLIENT.clientId });
    if (!connected.ok) throw new Error(connected.error.message);
    const record = connected.value;
    const refreshToken = h.vault.secretsOf(record.id)!.refreshToken!;
    const notices: Notice[] = [];
    const core = await composeOverHarness(h, h.store, { notify: (n) => notices.push(n) });
    await core.secretsLoaded;
    const result = await core.app.disconnect(record.id);
    core.keepAlive.stop();
    expect(result).toMatchObject({ ok: true });
    expect(result.message).not.toBe('Disconnected.');
    expect(result.message).toContain('Salesforce did not revoke the sign-in');
    // The truth: the grant still works at Salesforce, and the user is told where to end it.
    expect(sandbox.state.liveRefreshToken(refreshToken)).not.toBeNull();
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ title: 'Own app: sign-in not revoked at Salesforce' });
    expect(notices[0]!.body).toContain('Setup → Connected Apps OAuth Usage');
    expect(notices[0]!.body).not.toContain(refreshToken);
    const row = core.activity.entries().find((e) => e.kind === 'disconnected')!;
    expect(activityWords(row)).toMatch(/^Disconnected — the sign-in was not revoked at Salesforce: /);
    expect(sandbox.state.applications.has(record.applicationKey!)).toBe(false);
    expect(core.settings.connection(record.id)).toBeUndefined();
  });
});
