/**
 * The SecretStore as the core uses it, telling the redactor which secrets each keychain account
 * holds on every load, write and delete: so the redactor knows every stored secret without the
 * vault or its codec knowing about redaction.
 */
import type { SecretStore } from '../ports.js';
import type { SecretRedactor } from '../secret-redactor.js';

/** A stored entry's secret values: the string fields of a JSON entry, or the entry itself. */
function valuesIn(entry: string): string[] {
  try {
    const parsed: unknown = JSON.parse(entry);
    if (parsed && typeof parsed === 'object') return Object.values(parsed).filter((v): v is string => typeof v === 'string');
  } catch {
    // Not JSON: the entry is the secret (the user key).
  }
  return [entry];
}

export function feedRedactor(store: SecretStore, redactor: SecretRedactor): SecretStore {
  return {
    kind: store.kind,
    async get(account) {
      const secret = await store.get(account);
      if (secret !== null) redactor.hold(account, valuesIn(secret));
      return secret;
    },
    async set(account, secret) {
      // Known before the write: a failed write's error must not show it either.
      redactor.hold(account, valuesIn(secret));
      await store.set(account, secret);
    },
    async delete(account) {
      const deleted = await store.delete(account);
      redactor.hold(account, []);
      return deleted;
    },
    async findAll() {
      const all = await store.findAll();
      for (const { account, secret } of all) if (secret !== null) redactor.hold(account, valuesIn(secret));
      return all;
    },
  };
}
