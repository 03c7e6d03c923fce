/**
 * The vault's listing runs in the background at startup, so saves, removals and a new user key
 * can land while findAll still holds the older entries: what changed meanwhile wins.
 */
import { describe, expect, it } from 'vitest';
import { createSecretVault } from '../../main/core/connections/secret-vault.js';
import { encodeSecrets, USER_KEY_ACCOUNT } from '../../main/core/secrets/connection-secrets.js';
import { createMemorySecretStore } from '../../main/core/secrets/memory-secret-store.js';

async function storeWithOldEntries() {
  const memory = createMemorySecretStore();
  await memory.set('connection:a', encodeSecrets({ accessToken: 'old-access-a', refreshToken: 'old-refresh-a' }));
  await memory.set('connection:b', encodeSecrets({ accessToken: 'old-access-b', refreshToken: 'old-refresh-b' }));
  await memory.set(USER_KEY_ACCOUNT, 'old-user-key');
  return { memory };
}

describe('secret vault: a listing in the background', () => {
  it('a save, a removal and a new user key made while the listing runs are not undone by it', async () => {
    const { memory } = await storeWithOldEntries();
    let answer: (entries: Awaited<ReturnType<typeof memory.findAll>>) => void = () => undefined;
    const snapshotOfOld = await memory.findAll();
    const vault = createSecretVault({ ...memory, findAll: () => new Promise((resolve) => (answer = resolve)) });

    const listing = vault.loadAll();
    expect(vault.isLoading()).toBe(true);
    let loaded = false;
    void vault.whenLoaded().then(() => (loaded = true));

    await vault.save('a', { accessToken: 'new-access-a', refreshToken: 'new-refresh-a' });
    await vault.remove('b');
    await vault.setUserKey('new-user-key');
    answer(snapshotOfOld);

    expect(await listing).toBe(true);
    await vault.whenLoaded();
    expect(loaded).toBe(true);
    expect(vault.isLoading()).toBe(false);
    expect(vault.secretsOf('a')).toMatchObject({ accessToken: 'new-access-a', refreshToken: 'new-refresh-a' });
    expect(vault.secretsOf('b')).toBeNull();
    expect(vault.connectionIds()).toEqual(['a']);
    expect(vault.userKey()).toBe('new-user-key');
  });

  it('untouched entries load as listed, and a later listing sees the keychain as it is', async () => {
    const { memory } = await storeWithOldEntries();
    const vault = createSecretVault(memory);
    expect(vault.isLoading()).toBe(false);
    await vault.whenLoaded(); // nothing started: resolves at once
    expect(await vault.loadAll()).toBe(true);
    expect(vault.secretsOf('b')).toMatchObject({ refreshToken: 'old-refresh-b' });
    await memory.delete('connection:b');
    expect(await vault.loadAll()).toBe(true);
    expect(vault.secretsOf('b')).toBeNull();
    expect(vault.userKey()).toBe('old-user-key');
  });
});
