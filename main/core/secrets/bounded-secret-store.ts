/**
 * Every SecretStore call gets a deadline: a keychain that stops answering (a locked keyring, a
 * prompt nobody sees, a wedged D-Bus) turns into a plain failure after 10 s instead of a run that
 * hangs for hours and holds a concurrency slot for good.
 */
import type { SecretStore } from '../ports.js';
import { withTimeout } from './with-timeout.js';

export const SECRET_STORE_TIMEOUT_MS = 10_000;

export function boundedSecretStore(store: SecretStore, timeoutMs = SECRET_STORE_TIMEOUT_MS): SecretStore {
  return {
    kind: store.kind,
    get: (account) => withTimeout(store.get(account), timeoutMs, 'keychain read'),
    set: (account, secret) => withTimeout(store.set(account, secret), timeoutMs, 'keychain write'),
    delete: (account) => withTimeout(store.delete(account), timeoutMs, 'keychain delete'),
    findAll: () => withTimeout(store.findAll(), timeoutMs, 'keychain listing'),
  };
}
