/** The settings file through the same store code the app uses (conf in a temp folder). */
import Conf from 'conf';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteStateStore } from '../../main/adapters/sqlite-state-store.js';
import { createStoreSettingsFile } from '../../main/adapters/store-settings-file.js';
import { defaultSettings, SETTINGS_VERSION, type ConnectionRecord } from '../../main/core/settings/schema.js';
import { openSettings } from '../../main/core/settings/settings-repository.js';
import { applyKeeperConfig } from '../../main/core/keeper/configure.js';
import { notSavedBecause } from '../../main/core/state-database/storage-failure.js';
import { connectionRecord } from '../support/many-connections.js';
import { createMemoryLogger } from '../support/memory-logger.js';
import { storedConnections } from '../support/state-db.js';

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'd2c-settings-'));
  path = join(dir, 'config.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const open = () => openSettings(createStoreSettingsFile(path, () => new Conf<Record<string, unknown>>({ cwd: dir, configName: 'config' })), createMemoryLogger(), createSqliteStateStore(join(dir, 'state.db')));
const backups = () => readdirSync(dir).filter((f) => f.includes('.unreadable-'));
const originals = () => readdirSync(dir).filter((f) => f.includes('.original-'));

describe('settings file', () => {
  it('starts with defaults and persists changes across a reopen', () => {
    const first = open();
    expect(first.recovery).toBeNull();
    expect(first.repository.get()).toEqual(defaultSettings());
    first.repository.update((s) => ({ ...s, signIn: { ...s.signIn, with: 'system-browser' } }));
    expect(open().repository.get().signIn.with).toBe('system-browser');
  });

  it.each([
    ['truncated', '{"version": 1, "endpoints": {"data2crmApiBase": "https://'],
    ['not JSON at all', '\u0000\u0001binary garbage'],
    ['an array', '[1,2,3]'],
  ])('a file that is %s is backed up, defaults load, and the user is told', (_name, content) => {
    writeFileSync(path, content);
    const { repository, recovery } = open();
    expect(repository.get()).toEqual(defaultSettings());
    expect(recovery?.message).toMatch(/could not be read .* defaults were loaded\. The old file was kept at /);
    expect(backups()).toHaveLength(1);
    expect(readFileSync(join(dir, backups()[0]!), 'utf8')).toBe(content);
    // The next start is clean: no crash loop, no second backup.
    expect(open().recovery).toBeNull();
    expect(backups()).toHaveLength(1);
  });

  it('a newer app’s file is read as far as this version can, never written or moved, and the notice says to update the app', () => {
    const written = JSON.stringify({ ...defaultSettings(), version: SETTINGS_VERSION + 1, signIn: { ...defaultSettings().signIn, with: 'system-browser' }, refresh: { sessionLifetimeMs: 'as Salesforce says' }, aNewerOption: { on: true } }, null, 2);
    writeFileSync(path, written);
    const { repository, recovery } = open();
    expect(repository.get().signIn.with).toBe('system-browser');
    expect(repository.get().refresh).toEqual(defaultSettings().refresh);
    expect(recovery).toMatchObject({ newer: true, backupPath: null, message: expect.stringContaining('The settings file was made by a newer version of Data2CRM Tray; update the app.') });
    let refusal: unknown;
    try {
      repository.update((s) => ({ ...s, general: { ...s.general, notifications: false } }));
    } catch (error) {
      refusal = error;
    }
    expect(notSavedBecause(refusal)).toBe('the settings file was made by a newer version of Data2CRM Tray; update the app');
    expect(repository.get().general.notifications).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe(written);
    expect(readdirSync(dir).filter((f) => f.startsWith('config.json.'))).toEqual([]);
    // Every start says it again (the file is still the newer version's) and still leaves it alone.
    expect(open().recovery?.newer).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe(written);
  });

  it('a keeper started with --sandbox on a newer app’s file is refused in words, and the file is left as it is', async () => {
    const written = JSON.stringify({ ...defaultSettings(), version: SETTINGS_VERSION + 1 }, null, 2);
    writeFileSync(path, written);
    const { repository } = open();
    const configured = await applyKeeperConfig({ settings: repository, vault: { userKey: () => null }, setUserKey: () => Promise.resolve({ ok: true }) }, { sandbox: 'http://127.0.0.1:4517', userKey: null });
    expect(configured).toEqual({ ok: false, error: '--sandbox: the addresses were not saved: the settings file was made by a newer version of Data2CRM Tray; update the app.' });
    expect(readFileSync(path, 'utf8')).toBe(written);
  });

  it('one bad connection record is set aside in a side file, named once; every valid connection loads', () => {
    const good = (id: string, label: string) => ({ id, label, mode: 'manual', crmType: 'Salesforce', loginBaseUrl: 'https://login.salesforce.com', instanceUrl: 'https://acme.my.salesforce.com', orgId: null, userId: null, username: null, applicationKey: `key-${id}`, connectedApp: null, tokenIssuedAt: null, createdAt: 1, lastVerifiedAt: 1, lastRefreshedAt: null, status: 'healthy', disconnect: null });
    const bad = { ...good('conn-bbbbbbbb', 'Broken one'), status: 'frobnicating' };
    writeFileSync(path, JSON.stringify({ ...defaultSettings(), connections: [good('conn-aaaaaaaa', 'Alpha'), bad, good('conn-cccccccc', 'Gamma')] }));
    const { repository, recovery } = open();
    expect(repository.get().connections.map((c) => c.label)).toEqual(['Alpha', 'Gamma']);
    expect(recovery?.setAside).toEqual(['Broken one']);
    expect(recovery?.message).toMatch(/One connection could not be read and was set aside \(Broken one\); it is kept at .*set-aside-.*\.json\. Their keychain entries were not touched/);
    const side = readdirSync(dir).filter((f) => f.includes('.set-aside-'));
    expect(side).toHaveLength(1);
    expect(JSON.parse(readFileSync(join(dir, side[0]!), 'utf8')).records).toEqual([bad]);
    expect(backups()).toEqual([]);
    expect(recovery?.message).toContain(`The original settings file was kept at ${join(dir, originals()[0]!)}.`);
    // Told once: the next start is clean and keeps both good connections.
    const again = open();
    expect(again.recovery).toBeNull();
    expect(again.repository.get().connections).toHaveLength(2);
  });

  it('invalid global fields fall back to their defaults one by one; a non-array connections value is set aside', () => {
    writeFileSync(path, JSON.stringify({ ...defaultSettings(), signIn: { with: 'app-window', timeoutMs: -5, callbackPort: 1818 }, refresh: { ...defaultSettings().refresh, concurrency: 'many' }, connections: 'lots' }));
    const { repository, recovery } = open();
    expect(repository.get().signIn).toEqual({ with: 'app-window', timeoutMs: defaultSettings().signIn.timeoutMs, callbackPort: 1818 });
    expect(repository.get().refresh).toEqual(defaultSettings().refresh);
    expect(repository.get().connections).toEqual([]);
    expect(recovery?.message).toMatch(/went back to their defaults: signIn\.timeoutMs, refresh\.concurrency\./);
    expect(backups()).toEqual([]);
  });

  it('a file salvaged field by field is kept whole beside the new one, and the notice says where (#22 item 7)', () => {
    const content = JSON.stringify({ ...defaultSettings(), endpoints: { ...defaultSettings().endpoints, data2crmApiBase: 'http://api.example.com/v1' }, general: { notifications: 'sometimes' }, extraInstanceHosts: 'my.host' }, null, 1);
    writeFileSync(path, content);
    const { repository, recovery } = open();
    expect(repository.get()).toMatchObject({ endpoints: defaultSettings().endpoints, general: defaultSettings().general, extraInstanceHosts: [] });
    expect(originals()).toHaveLength(1);
    const kept = join(dir, originals()[0]!);
    expect(readFileSync(kept, 'utf8')).toBe(content);
    expect(recovery?.message).toContain(`The original settings file was kept at ${kept}.`);
    expect(recovery?.backupPath).toBe(kept);
    // The salvaged file replaced it, and the next start is clean: no second copy.
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ endpoints: defaultSettings().endpoints });
    expect(open().recovery).toBeNull();
    expect(originals()).toHaveLength(1);
  });

  it.each([
    ['http on a public host', { data2crmApiBase: 'http://api.example.com/v1' }, 'endpoints.data2crmApiBase'],
    ['not a URL', { data2crmAuthBase: 'ftp:/nowhere' }, 'endpoints.data2crmAuthBase'],
    ['a login host with a path trick', { salesforceLoginHost: 'login.salesforce.com/evil' }, 'endpoints.salesforceLoginHost'],
  ])('an endpoint read from the file is validated like a typed one: %s falls back to the default', (_name, endpoints, field) => {
    writeFileSync(path, JSON.stringify({ ...defaultSettings(), endpoints: { ...defaultSettings().endpoints, ...endpoints } }));
    const { repository, recovery } = open();
    expect(repository.get().endpoints).toEqual(defaultSettings().endpoints);
    expect(recovery?.message).toContain(field);
  });

  it('http on loopback (the local sandbox) is kept', () => {
    const endpoints = { data2crmApiBase: 'http://127.0.0.1:4517/v1', data2crmAuthBase: 'http://localhost:4517', salesforceLoginHost: 'http://127.0.0.1:4517' };
    writeFileSync(path, JSON.stringify({ ...defaultSettings(), endpoints }));
    const { repository, recovery } = open();
    expect(recovery).toBeNull();
    expect(repository.get().endpoints).toEqual(endpoints);
  });

  it('migrates a version-0 file (no version field) and keeps its values', () => {
    writeFileSync(path, JSON.stringify({ extraInstanceHosts: ['127.0.0.1:4517'], signIn: { with: 'system-browser', timeoutMs: 120000, callbackPort: 1818 } }));
    const { repository, recovery } = open();
    expect(recovery).toBeNull();
    expect(repository.get()).toMatchObject({ version: SETTINGS_VERSION, extraInstanceHosts: ['127.0.0.1:4517'], signIn: { with: 'system-browser', callbackPort: 1818 }, connections: [] });
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ version: SETTINGS_VERSION });
  });

  it('migrates a version-1 file, which told about trouble after N failures in a row, to telling after 30 min; every other refresh setting stays', () => {
    const v1Refresh = { internalIntervalMs: 20 * 60_000, sessionLifetimeMs: 30 * 60_000, skewMs: 4 * 60_000, verifyIntervalMs: 30 * 60_000, concurrency: 6, notifyAfterFailures: 5, backoffBaseMs: 3_000, backoffCapMs: 300_000, jitterMs: 30_000 };
    writeFileSync(path, JSON.stringify({ ...defaultSettings(), version: 1, refresh: v1Refresh }));
    const { repository, recovery } = open();
    expect(recovery).toBeNull();
    const kept: Record<string, number> = { ...v1Refresh };
    delete kept['notifyAfterFailures'];
    expect(repository.get().refresh).toEqual({ ...kept, notifyAfterMs: 30 * 60_000 });
    const written = JSON.parse(readFileSync(path, 'utf8')) as { version: number; refresh: Record<string, unknown> };
    expect(written.version).toBe(2);
    expect(written.refresh).not.toHaveProperty('notifyAfterFailures');
  });

  it('a check that only moved its times waits for the store\'s commit; any other change is in the file at once', () => {
    const { repository } = open();
    const statePath = join(dir, 'state.db');
    const record = repository.putConnection(connectionRecord('Org 1'));
    expect(storedConnections(statePath)).toMatchObject([{ id: record.id, status: 'healthy' }]);
    const later = record.lastVerifiedAt! + 60_000;
    repository.updateConnection(record.id, (c) => ({ ...c, lastVerifiedAt: later, lastRefreshedAt: later, tokenIssuedAt: later, tokenReceivedAt: later }));
    expect(repository.connection(record.id)?.lastVerifiedAt).toBe(later);
    expect(storedConnections(statePath)[0]?.['lastVerifiedAt']).toBe(record.lastVerifiedAt);
    // Only the times are checked on that path, and they are checked: a malformed one is refused, nothing kept.
    expect(() => repository.updateConnection(record.id, (c) => ({ ...c, lastVerifiedAt: 'soon' as unknown as number }))).toThrow();
    expect(repository.connection(record.id)?.lastVerifiedAt).toBe(later);
    for (const change of [{ status: 'retrying' }, { consecutiveFailures: 1 }, { pushPending: true }, { statusDetail: 'Salesforce is slow' }, { label: 'Renamed' }] as const) {
      const next = repository.updateConnection(record.id, (c) => ({ ...c, ...change }))!;
      // A change of state is durable when the call returns, with the times waiting before it.
      expect(storedConnections(statePath)[0]).toEqual(next);
    }
    // A field the schema does not know makes it a whole write, parsed (so dropped) like any other.
    repository.updateConnection(record.id, (c) => ({ ...c, lastVerifiedAt: later + 2, stray: 'x' }) as ConnectionRecord);
    expect(storedConnections(statePath)[0]).toMatchObject({ lastVerifiedAt: later + 2 });
    expect(storedConnections(statePath)[0]).not.toHaveProperty('stray');
  });

  it('refuses to write a malformed document, keeping the file as it was', () => {
    const { repository } = open();
    repository.update((s) => ({ ...s, signIn: { ...s.signIn, callbackPort: 1818 } }));
    const before = readFileSync(path, 'utf8');
    expect(() => repository.update((s) => ({ ...s, signIn: { ...s.signIn, timeoutMs: -1 } }))).toThrow();
    expect(readFileSync(path, 'utf8')).toBe(before);
    expect(existsSync(path)).toBe(true);
  });
});
