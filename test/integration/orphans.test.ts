/**
 * Orphans are recoverable: keychain entries without a connection record (a connect that died
 * between the keychain write and the settings save, a record set aside from a damaged file, an
 * entry of an older version, a damaged entry) are listed at startup, never deleted silently, and
 * Recover / Delete go through the whole core against the sandbox and the real keychain.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { createIpcDispatcher } from '../../main/ipc/dispatcher.js';
import { createIpcHandlers } from '../../main/ipc/handlers.js';
import { stateDeltaSchema, type Snapshot } from '../../preload/contract.js';
import type { Core } from '../../main/core/compose.js';
import type { SecretStore } from '../../main/core/ports.js';
import { SAMPLE_CLIENT, type Sandbox } from '../sandbox/server.js';
import type { ConnectHarness } from '../support/connect-harness.js';
import type { FaultySecretStore } from '../support/faulty-secret-store.js';
import { composeOverHarness } from '../support/harness-core.js';
import { harnessPerTest } from '../support/harness-per-test.js';
import { externalTokens } from '../support/sandbox-tokens.js';
import { rewriteStoredConnection } from '../support/state-db.js';

let sandbox: Sandbox;
let h: ConnectHarness;
let faults: FaultySecretStore;
let raw: SecretStore;
let core: Core | undefined;

// A connect left hanging stays hung (the "crashed" process never resumes).
harnessPerTest(
  (parts) => {
    ({ sandbox, h } = parts);
    faults = parts.faults!;
    raw = parts.raw!;
    core = undefined;
  },
  { faults: 'keep-hung', beforeCleanup: () => core?.keepAlive.stop() },
);

/** A fresh app start on the harness's settings file and keychain, as the app composes it. */
async function start(): Promise<Core> {
  core = await composeOverHarness(h, faults.store);
  core.keepAlive.start();
  await core.secretsLoaded;
  return core;
}

const externalInput = (label: string) => ({ label, crmType: 'Salesforce' as const, loginHost: sandbox.urls.salesforceLogin, clientId: SAMPLE_CLIENT.clientId, clientSecret: SAMPLE_CLIENT.clientSecret });

/**
 * A connect that dies after its first keychain write (the tokens and metadata), with Data2CRM's
 * application made: the second write (the application key) never returns, so no record is saved.
 */
async function connectThatCrashes(label: string): Promise<string> {
  let writes = 0;
  faults.inject('set', { kind: 'hang' }, { times: 1, account: (account) => account.startsWith('connection:') && ++writes === 2 });
  void h.connections.connectExternal(externalInput(label));
  await vi.waitFor(() => expect(faults.calls.some((c) => c.method === 'set' && c.fault === 'hang')).toBe(true), { timeout: 30_000 });
  const entries = (await raw.findAll()).filter((e) => e.account.startsWith('connection:'));
  expect(entries).toHaveLength(1);
  return entries[0]!.account.slice('connection:'.length);
}

const entryOf = async (id: string) => {
  const stored = await raw.get(`connection:${id}`);
  return stored === null ? null : (JSON.parse(stored) as { refreshToken?: string; meta?: { applicationKey: string | null; label: string } });
};
const applicationsNamed = (label: string) => [...sandbox.state.applications.values()].filter((a) => a.description === label);
const liveRefreshTokens = () => [...sandbox.state.refreshTokens.entries()].filter(([, r]) => !r.revoked).map(([t]) => t);

describe('6. orphans are recoverable', () => {
  it('a crash between the keychain write and the record save: listed at startup, Recover adopts Data2CRM’s application and the connection runs', async () => {
    const id = await connectThatCrashes('Crashed connect');
    expect(h.settings.get().connections).toEqual([]);
    expect(applicationsNamed('Crashed connect')).toHaveLength(1);
    expect((await entryOf(id))?.meta).toMatchObject({ label: 'Crashed connect', applicationKey: null });

    const app = (await start()).app;
    expect(app.snapshot().orphans).toEqual([expect.objectContaining({ id, label: 'Crashed connect', readable: true, hasRefreshToken: true, instanceUrl: sandbox.urls.origin })]);
    expect(app.snapshot()).toMatchObject({ status: 'attention', summary: 'No connections yet · 1 found in the keychain (see Settings → Connections)' });
    // Startup and keep-alive leave it alone: listed, never deleted silently.
    expect(await entryOf(id)).not.toBeNull();

    expect(await app.recoverOrphan(id)).toEqual({ ok: true, message: 'Crashed connect is back; checking it now.' });
    const recovered = core!.settings.get().connections.find((c) => c.id === id)!;
    expect(recovered).toMatchObject({ label: 'Crashed connect', mode: 'external', connectedApp: { clientId: SAMPLE_CLIENT.clientId }, applicationKey: applicationsNamed('Crashed connect')[0]!.key });
    expect(applicationsNamed('Crashed connect')).toHaveLength(1);
    expect(app.snapshot().orphans).toEqual([]);
    expect((await entryOf(id))?.meta?.applicationKey).toBe(recovered.applicationKey);
    // Scheduled at once: keep-alive pushes the entry's tokens to the adopted application and verifies it.
    await vi.waitFor(() => expect(core!.settings.get().connections[0]).toMatchObject({ status: 'healthy', pushPending: false, lastVerifiedAt: expect.any(Number) }), { timeout: 30_000 });
    expect(sandbox.control.requestLog().map((r) => `${r.route} ${r.status}`)).toContain('d2c.application.update 200');
  }, 90_000);

  it('Delete deletes the application, revokes the refresh token and wipes the entry', async () => {
    const id = await connectThatCrashes('To delete');
    const refreshToken = (await entryOf(id))!.refreshToken!;
    expect(liveRefreshTokens()).toContain(refreshToken);
    const app = (await start()).app;
    expect(await app.deleteOrphan(id)).toEqual({ ok: true, message: 'Revoked and deleted.' });
    expect(sandbox.state.refreshTokens.get(refreshToken)?.revoked).toBe(true);
    expect(await entryOf(id)).toBeNull();
    expect(applicationsNamed('To delete')).toEqual([]);
    expect(app.snapshot().orphans).toEqual([]);
    expect(core!.settings.get().connections).toEqual([]);
  }, 90_000);

  it('Delete whose revocation Salesforce refuses deletes the entry but never says "Revoked"', async () => {
    const id = await connectThatCrashes('Refused revoke');
    const refreshToken = (await entryOf(id))!.refreshToken!;
    const app = (await start()).app;
    sandbox.control.fault({ route: 'sf.revoke', fault: { kind: 'status', status: 400, contentType: 'application/json', body: JSON.stringify({ error: 'invalid_client', error_description: 'client authentication failed' }) }, remaining: 5 });
    const result = await app.deleteOrphan(id);
    expect(result).toMatchObject({ ok: true, message: expect.stringMatching(/^Deleted, but Salesforce refused to revoke its sign-in .*may keep working/) });
    expect(result.message).not.toMatch(/Revoked/);
    expect(sandbox.state.refreshTokens.get(refreshToken)?.revoked).toBe(false);
    expect(await entryOf(id)).toBeNull();
    expect(applicationsNamed('Refused revoke')).toEqual([]);
  }, 90_000);

  it('Delete keeps everything when Salesforce cannot be reached, and says so', async () => {
    const id = await connectThatCrashes('Unreachable');
    const app = (await start()).app;
    sandbox.control.fault({ route: 'sf.revoke', fault: { kind: 'status', status: 503 }, remaining: 5 });
    const result = await app.deleteOrphan(id);
    expect(result).toMatchObject({ ok: false, message: expect.stringMatching(/Salesforce could not be reached to revoke .*Nothing was deleted; try again\./) });
    expect(await entryOf(id)).not.toBeNull();
    expect(applicationsNamed('Unreachable')).toHaveLength(1);
    expect(app.snapshot().orphans.map((o) => o.id)).toEqual([id]);
  }, 90_000);

  it('a record set aside from a damaged settings file leaves its entry listed; Recover brings back the same application', async () => {
    const kept = await h.connections.connectExternal(externalInput('Kept'));
    const connected = await h.connections.connectExternal(externalInput('Damaged'));
    if (!kept.ok || !connected.ok) throw new Error('connect failed');
    // A rename reaches the entry's metadata too, so the recovered record has the newest name.
    const damaged = await h.connections.rename(connected.value.id, 'Renamed');
    if (!damaged.ok) throw new Error('rename failed');
    rewriteStoredConnection(h.statePath, damaged.value.id, (c) => ({ ...c, status: 'no-such-status' }));

    const started = await start();
    expect(started.recovery?.setAside).toEqual(['Renamed']);
    expect(started.app.snapshot().orphans).toEqual([expect.objectContaining({ id: damaged.value.id, label: 'Renamed' })]);
    expect(await started.app.recoverOrphan(damaged.value.id)).toMatchObject({ ok: true });
    const byId = (id: string) => started.settings.get().connections.find((c) => c.id === id);
    expect(byId(damaged.value.id)).toMatchObject({ label: 'Renamed', applicationKey: damaged.value.applicationKey, orgId: damaged.value.orgId });
    expect(byId(kept.value.id)).toMatchObject({ applicationKey: kept.value.applicationKey });
    expect(sandbox.state.applications.size).toBe(2);
    await started.keepAlive.refreshNow(damaged.value.id);
    expect(byId(damaged.value.id)).toMatchObject({ status: 'healthy', pushPending: false });
  }, 90_000);

  it('an entry of an older version (no metadata) is found through Data2CRM and Salesforce, or refused in plain words', async () => {
    const t = await externalTokens(sandbox);
    const manual = await h.connections.connectManual({ label: 'Old pasted', crmType: 'Salesforce', instanceUrl: t.instanceUrl, accessToken: t.accessToken });
    if (!manual.ok) throw new Error(manual.error.message);
    // As an older version wrote it: tokens only, and its record lost.
    await raw.set(`connection:${manual.value.id}`, JSON.stringify({ v: 1, accessToken: t.accessToken }));
    await raw.set('connection:orphan-without-any-app', JSON.stringify({ v: 1, accessToken: 'not-a-live-token-at-all' }));
    h.settings.update((s) => ({ ...s, connections: [] }));

    const app = (await start()).app;
    expect(app.snapshot().orphans.map((o) => [o.id, o.label])).toEqual(
      expect.arrayContaining([
        [manual.value.id, null],
        ['orphan-without-any-app', null],
      ]),
    );
    expect(await app.recoverOrphan('orphan-without-any-app')).toMatchObject({ ok: false, message: expect.stringMatching(/older version .* It cannot be recovered: delete it and connect again\./) });
    expect(await app.recoverOrphan(manual.value.id)).toEqual({ ok: true, message: expect.stringMatching(/^Old pasted is back; checking it now\. Recovered as pasted tokens \(the older entry does not name its connected app\)/) });
    expect(core!.settings.get().connections).toEqual([expect.objectContaining({ id: manual.value.id, label: 'Old pasted', mode: 'manual', orgId: manual.value.orgId, applicationKey: manual.value.applicationKey })]);
    expect((await entryOf(manual.value.id))?.meta).toMatchObject({ label: 'Old pasted', applicationKey: manual.value.applicationKey });
    expect(await app.deleteOrphan('orphan-without-any-app')).toEqual({ ok: true, message: 'Deleted.' });
    expect(app.snapshot().orphans).toEqual([]);
  }, 90_000);

  it('a damaged entry without a record cannot be recovered but can be deleted', async () => {
    await raw.set('connection:damaged-entry-1', 'not json at all');
    const app = (await start()).app;
    expect(app.snapshot().orphans).toEqual([expect.objectContaining({ id: 'damaged-entry-1', readable: false, label: null })]);
    expect(await app.recoverOrphan('damaged-entry-1')).toMatchObject({ ok: false, message: expect.stringMatching(/cannot be read/) });
    expect(await app.deleteOrphan('damaged-entry-1')).toEqual({ ok: true, message: 'Deleted. Its contents could not be read, so nothing could be revoked.' });
    expect(await raw.get('connection:damaged-entry-1')).toBeNull();
  }, 60_000);

  it('a connect in progress is not an orphan', async () => {
    const started = await start();
    let writes = 0;
    faults.inject('set', { kind: 'hang' }, { times: 1, account: (account) => account.startsWith('connection:') && ++writes === 2 });
    void started.connections.connectExternal(externalInput('In flight'));
    await vi.waitFor(() => expect(faults.calls.some((c) => c.method === 'set' && c.fault === 'hang')).toBe(true), { timeout: 30_000 });
    expect(started.vault.connectionIds()).toHaveLength(1);
    expect(started.app.snapshot().orphans).toEqual([]);
  }, 60_000);
});

/** A server that is neither Salesforce nor confirmed: it records whatever reaches it. */
async function strangerServer(): Promise<{ origin: string; requests: string[]; close: () => Promise<void> }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      requests.push(`${req.method} ${req.url} ${body}`);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('keychain entries are input (#22 items 5 and 6)', () => {
  it('an entry whose metadata points elsewhere is listed as unrecognized: Recover refused, Delete local only, nothing sent to its hosts', async () => {
    const stranger = await strangerServer();
    try {
      const connected = await h.connections.connectExternal(externalInput('Hijacked'));
      if (!connected.ok) throw new Error(connected.error.message);
      const { id } = connected.value;
      const entry = JSON.parse((await raw.get(`connection:${id}`))!) as { refreshToken: string; clientSecret: string; meta: Record<string, unknown> };
      // Someone with access to the keychain rewrites where the entry says its org and its sign-in live.
      await raw.set(`connection:${id}`, JSON.stringify({ ...entry, meta: { ...entry.meta, instanceUrl: stranger.origin, loginBaseUrl: stranger.origin } }));
      // Three more: another host over https, a Salesforce host over plain http, a sign-in address elsewhere.
      const variants = { 'hostile-0000-https': { instanceUrl: 'https://data.evil.example' }, 'hostile-0001-plain': { instanceUrl: 'http://acme.my.salesforce.com' }, 'hostile-0002-login': { loginBaseUrl: 'https://login.evil.example' } };
      for (const [other, change] of Object.entries(variants)) await raw.set(`connection:${other}`, JSON.stringify({ ...entry, meta: { ...entry.meta, applicationKey: null, ...change } }));
      h.settings.update((s) => ({ ...s, connections: [] }));
      const creates = () => sandbox.control.requestLog().filter((r) => r.route === 'd2c.application.create').length;
      const createsBefore = creates();

      const app = (await start()).app;
      const listed = app.snapshot().orphans;
      expect(listed.map((o) => o.id).sort()).toEqual([id, ...Object.keys(variants)].sort());
      for (const orphan of listed) {
        expect(orphan).toMatchObject({ readable: true, recognized: false, label: null, instanceUrl: null, username: null, detail: expect.stringMatching(/^Not recognized: .*Delete removes it from this computer only\.$/) });
        expect(await app.recoverOrphan(orphan.id)).toMatchObject({ ok: false, message: expect.stringMatching(/^Not recognized: /) });
      }
      expect(core!.settings.get().connections).toEqual([]);
      for (const orphan of listed) expect(await app.deleteOrphan(orphan.id)).toEqual({ ok: true, message: 'Deleted from this computer; nothing was sent anywhere.' });
      expect(app.snapshot().orphans).toEqual([]);
      expect(await raw.get(`connection:${id}`)).toBeNull();
      // Nothing reached the stranger; Data2CRM registered nothing and deleted nothing; the refresh token was not sent to be revoked.
      expect(stranger.requests).toEqual([]);
      expect(creates()).toBe(createsBefore);
      expect(sandbox.state.applications.has(connected.value.applicationKey!)).toBe(true);
      expect(sandbox.state.refreshTokens.get(entry.refreshToken)?.revoked).toBe(false);
    } finally {
      await stranger.close();
    }
  }, 90_000);

  it('an overlong instance URL or an account name that is no connection id never fails the state; such an entry can be deleted, and only an entry that exists is "Deleted"', async () => {
    const t = await externalTokens(sandbox);
    const meta = { label: 'Long', mode: 'manual', crmType: 'Salesforce', loginBaseUrl: sandbox.urls.salesforceLogin, instanceUrl: `https://acme.my.salesforce.com/${'x'.repeat(380)}`, orgId: null, userId: null, username: 'u'.repeat(300), connectedApp: null, applicationKey: null, createdAt: 1 };
    await raw.set('connection:long-instance-url', JSON.stringify({ v: 1, accessToken: t.accessToken, meta }));
    await raw.set('connection:Evil ID/../x', JSON.stringify({ v: 1, accessToken: t.accessToken, refreshToken: t.refreshToken, meta: { ...meta, instanceUrl: t.instanceUrl } }));
    const started = await start();
    const ipc = createIpcDispatcher({ handlers: createIpcHandlers({ appInfo: { name: 'Data2CRM Tray', version: '0.1.0' }, app: started.app }), isTrustedSender: () => true, logger: h.logger });
    const sender = { url: 'app://renderer/index.html', isMainFrame: true };
    const published: unknown[] = [];
    started.app.subscribe((delta) => published.push(stateDeltaSchema.parse(delta)));

    const state = await ipc.dispatch('state:get', sender, undefined);
    expect(state.ok).toBe(true);
    const orphans = (state as { value: Snapshot }).value.orphans;
    expect(orphans).toHaveLength(2);
    expect(orphans.find((o) => o.id === 'long-instance-url')).toMatchObject({ recognized: false, label: null, instanceUrl: null, username: null });
    const foreign = orphans.find((o) => o.id !== 'long-instance-url')!;
    expect(foreign).toMatchObject({ id: expect.stringMatching(/^entry-[0-9a-f]{40}$/), recognized: false, label: null, hasRefreshToken: true });

    expect(await ipc.dispatch('orphans:recover', sender, { id: foreign.id })).toMatchObject({ ok: true, value: { ok: false } });
    expect(await ipc.dispatch('orphans:delete', sender, { id: foreign.id })).toEqual({ ok: true, value: { ok: true, message: 'Deleted from this computer; nothing was sent anywhere.' } });
    expect(await raw.get('connection:Evil ID/../x')).toBeNull();
    expect(sandbox.state.refreshTokens.get(t.refreshToken!)?.revoked).toBe(false);
    // Gone now, and never there: nothing is said to be deleted.
    for (const id of [foreign.id, '00000000-0000-4000-8000-000000000000']) expect(await ipc.dispatch('orphans:delete', sender, { id })).toEqual({ ok: true, value: { ok: false, message: 'That keychain entry no longer exists.' } });
    expect(await ipc.dispatch('orphans:delete', sender, { id: 'long-instance-url' })).toMatchObject({ ok: true, value: { ok: true } });
    started.app.flush();
    expect(published.length).toBeGreaterThan(0);
    expect(((await ipc.dispatch('state:get', sender, undefined)) as { value: Snapshot }).value.orphans).toEqual([]);
  }, 60_000);
});
