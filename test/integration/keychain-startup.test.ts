/**
 * Startup reads every connection's secrets with one findAll, however many there are; and with no
 * usable keychain (no D-Bus session) the app degrades to session-only storage, writing nothing
 * in plaintext.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createKeytarSecretStore } from '../../main/adapters/keytar-secret-store.js';
import { createSecretVault } from '../../main/core/connections/secret-vault.js';
import { encodeSecrets } from '../../main/core/secrets/connection-secrets.js';
import { countingSecretStore } from '../support/counting-store.js';

const service = `data2crm-tray-test-${randomUUID()}`;
const keychain = createKeytarSecretStore(service);
afterAll(async () => {
  for (const { account } of await keychain.findAll()) await keychain.delete(account);
});

describe('keychain at startup', () => {
  it('loads 200 connections with one keychain call', async () => {
    for (let i = 0; i < 200; i++) await keychain.set(`connection:conn-${String(i).padStart(4, '0')}`, encodeSecrets({ accessToken: `00DSBX000000001!access-${i}-xxxxxxxx`, refreshToken: `5Aep861refresh-${i}-xxxxxxxx` }));
    await keychain.set('data2crm-user-key', 'sbx-user-key');
    const { wrapped, calls } = countingSecretStore(keychain);
    const vault = createSecretVault(wrapped);
    await vault.loadAll();
    expect(calls).toEqual({ get: 0, set: 0, delete: 0, findAll: 1 });
    expect(vault.connectionIds()).toHaveLength(200);
    expect(vault.secretsOf('conn-0042')?.refreshToken).toBe('5Aep861refresh-42-xxxxxxxx');
    expect(vault.userKey()).toBe('sbx-user-key');
    expect(calls.findAll).toBe(1);
  }, 60_000);

  it('without a D-Bus session: storage degrades to session-only, nothing is written in plaintext', () => {
    const home = mkdtempSync(join(tmpdir(), 'd2c-nokeychain-'));
    try {
      const marker = `00DSBX000000001!${randomUUID()}`;
      const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, XDG_DATA_HOME: join(home, 'data'), XDG_CONFIG_HOME: join(home, 'config'), DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(home, 'no-bus')}`, MARKER: marker };
      delete env['DISPLAY'];
      const child = spawnSync(process.execPath, ['--import', 'tsx', 'test/fixtures/probe-storage.ts'], { env, encoding: 'utf8', timeout: 30_000 });
      expect(child.status, child.stderr).toBe(0);
      const report = JSON.parse(child.stdout.trim().split('\n').pop()!) as { status: { kind: string; reason: string }; kept: boolean };
      expect(report.status.kind).toBe('session-only');
      expect(report.status.reason).toMatch(/keychain/);
      expect(report.kept).toBe(true);
      const files = (function walk(d: string): string[] {
        return readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? walk(join(d, f)) : [join(d, f)]));
      })(home);
      for (const file of files) expect(readFileSync(file, 'utf8')).not.toContain(marker);
      expect(child.stdout + child.stderr).not.toContain(marker);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  }, 40_000);
});
