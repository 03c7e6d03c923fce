/**
 * Reads and writes connections' secrets through the SecretStore: one entry per connection, all
 * loaded with a single findAll at startup (a constant number of keychain calls, whatever the count).
 */
import type { SecretStore } from '../ports.js';
import { decodeSecrets, encodeSecrets, USER_KEY_ACCOUNT, type ConnectionSecrets } from '../secrets/connection-secrets.js';

const CONNECTION_PREFIX = 'connection:';

export interface SecretVault {
  /** One findAll; afterwards reads are served from memory until the next write. */
  loadAll(): Promise<void>;
  secretsOf(connectionId: string): ConnectionSecrets | null;
  save(connectionId: string, secrets: ConnectionSecrets): Promise<void>;
  remove(connectionId: string): Promise<void>;
  userKey(): string | null;
  setUserKey(key: string): Promise<void>;
  /** Connection ids that have a keychain entry (to find orphans from interrupted connects). */
  connectionIds(): string[];
}

export function createSecretVault(store: SecretStore): SecretVault {
  const cache = new Map<string, ConnectionSecrets>();
  let userKey: string | null = null;

  return {
    async loadAll() {
      cache.clear();
      userKey = null;
      for (const { account, secret } of await store.findAll()) {
        if (account === USER_KEY_ACCOUNT) userKey = secret;
        else if (account.startsWith(CONNECTION_PREFIX)) {
          const decoded = decodeSecrets(secret);
          if (decoded) cache.set(account.slice(CONNECTION_PREFIX.length), decoded);
        }
      }
    },
    secretsOf: (id) => cache.get(id) ?? null,
    async save(id, secrets) {
      // The keychain first: the cache never claims a secret the keychain does not hold.
      await store.set(`${CONNECTION_PREFIX}${id}`, encodeSecrets(secrets));
      cache.set(id, secrets);
    },
    async remove(id) {
      await store.delete(`${CONNECTION_PREFIX}${id}`);
      cache.delete(id);
    },
    userKey: () => userKey,
    async setUserKey(key) {
      await store.set(USER_KEY_ACCOUNT, key);
      userKey = key;
    },
    connectionIds: () => [...cache.keys()],
  };
}
