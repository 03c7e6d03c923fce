/** The keeper's encrypted secrets folder on a real disk: AES-256-GCM per entry, atomic writes, one bad entry affects only itself. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEncryptedFileSecretStore } from '../../main/adapters/encrypted-file-secret-store.js';

let dir: string;
const key = randomBytes(32);
beforeEach(() => void (dir = join(mkdtempSync(join(tmpdir(), 'd2c-enc-')), 'secrets')));
afterEach(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

const SECRET = '5Aep861.a-refresh-token-that-must-never-be-on-disk-as-is';

describe('encrypted-file secret store', () => {
  it('keeps each secret in its own 0600 file, never in plaintext, and reads it back', async () => {
    const store = createEncryptedFileSecretStore(dir, key);
    expect(store.checkKey()).toBe('new');
    await store.set('connection:a', SECRET);
    await store.set('connection:b', 'another');
    expect(await store.get('connection:a')).toBe(SECRET);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    for (const name of readdirSync(dir)) {
      expect(statSync(join(dir, name)).mode & 0o777, name).toBe(0o600);
      const bytes = readFileSync(join(dir, name), 'latin1');
      expect(bytes).not.toContain(SECRET);
      expect(bytes).not.toContain(Buffer.from(SECRET).toString('base64'));
    }
    expect((await store.findAll()).sort((x, y) => x.account.localeCompare(y.account))).toEqual([
      { account: 'connection:a', secret: SECRET },
      { account: 'connection:b', secret: 'another' },
    ]);
    expect(await store.delete('connection:a')).toBe(true);
    expect(await store.delete('connection:a')).toBe(false);
    expect(await store.get('connection:a')).toBeNull();
  });

  it('a new store is marked with its key; the same key opens it, another does not', () => {
    expect(createEncryptedFileSecretStore(dir, key).checkKey()).toBe('new');
    expect(createEncryptedFileSecretStore(dir, key).checkKey()).toBe('matches');
    expect(createEncryptedFileSecretStore(dir, randomBytes(32)).checkKey()).toBe('wrong-key');
    writeFileSync(join(dir, 'key-check'), 'x'.repeat(70_000));
    expect(createEncryptedFileSecretStore(dir, key).checkKey()).toBe('damaged');
  });

  it('an entry moved under another account’s name does not open (the account is authenticated data), and affects only itself', async () => {
    const store = createEncryptedFileSecretStore(dir, key);
    store.checkKey();
    await store.set('connection:a', SECRET);
    await store.set('connection:b', 'kept');
    const files = readdirSync(dir).filter((n) => n.endsWith('.enc'));
    const nameOf = (account: string) => `${Buffer.from(account).toString('base64url')}.enc`;
    renameSync(join(dir, nameOf('connection:a')), join(dir, nameOf('connection:evil')));
    expect(files).toHaveLength(2);
    const all = await store.findAll();
    expect(all).toContainEqual({ account: 'connection:evil', secret: null });
    expect(all).toContainEqual({ account: 'connection:b', secret: 'kept' });
    await expect(store.get('connection:evil')).rejects.toThrow('could not be read');
  });

  it('writes of one account land in the order they were made, even when not awaited one by one', async () => {
    const store = createEncryptedFileSecretStore(dir, key);
    store.checkKey();
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.set('connection:a', `value-${i}`)));
    expect(await store.get('connection:a')).toBe('value-19');
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('a folder that cannot be written makes writes fail (never a silent loss)', async () => {
    const store = createEncryptedFileSecretStore(dir, key);
    store.checkKey();
    rmSync(dir, { recursive: true });
    writeFileSync(dir, 'not a folder');
    await expect(store.set('connection:a', SECRET)).rejects.toThrow();
  });
});
