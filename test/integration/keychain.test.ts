/**
 * Runs against a real Secret Service: `npm test` starts a private D-Bus session with an unlocked
 * gnome-keyring (scripts/test-all.mjs), so nothing here touches the developer's own keychain.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createKeytarSecretStore } from '../../main/adapters/keytar-secret-store.js';

const service = `data2crm-tray-test-${randomUUID()}`;
const store = createKeytarSecretStore(service);

afterEach(async () => {
  for (const { account } of await store.findAll()) await store.delete(account);
});

describe('keytar secret store (private keychain)', () => {
  it('round-trips a secret: set, get, find, delete', async () => {
    const secret = JSON.stringify({ accessToken: '00D-token', refreshToken: '5Aep-refresh' });
    await store.set('conn-1', secret);
    await expect(store.get('conn-1')).resolves.toBe(secret);
    await expect(store.findAll()).resolves.toEqual([{ account: 'conn-1', secret }]);
    await expect(store.delete('conn-1')).resolves.toBe(true);
    await expect(store.get('conn-1')).resolves.toBeNull();
    await expect(store.delete('conn-1')).resolves.toBe(false);
  });

  it('overwrites an entry in place and keeps services apart', async () => {
    const other = createKeytarSecretStore(`${service}-other`);
    await store.set('conn-2', 'first');
    await store.set('conn-2', 'second');
    await other.set('conn-2', 'elsewhere');
    try {
      await expect(store.findAll()).resolves.toEqual([{ account: 'conn-2', secret: 'second' }]);
      await expect(other.get('conn-2')).resolves.toBe('elsewhere');
    } finally {
      await other.delete('conn-2');
    }
  });
});
