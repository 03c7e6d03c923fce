import type { SecretStore } from '../../main/core/ports.js';

/** Wraps a real SecretStore and counts the calls of each kind (keychain-call budgets). */
export function countingSecretStore(store: SecretStore) {
  const calls = { get: 0, set: 0, delete: 0, findAll: 0 };
  const wrapped: SecretStore = {
    kind: store.kind,
    get: (a) => (calls.get++, store.get(a)),
    set: (a, s) => (calls.set++, store.set(a, s)),
    delete: (a) => (calls.delete++, store.delete(a)),
    findAll: () => (calls.findAll++, store.findAll()),
  };
  return { wrapped, calls, total: () => calls.get + calls.set + calls.delete + calls.findAll };
}
