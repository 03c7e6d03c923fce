/** Secrets for this session only: what the app uses when no keychain works ("storage degraded"). */
import type { SecretStore } from '../ports.js';

export function createMemorySecretStore(): SecretStore {
  const entries = new Map<string, string>();
  return {
    kind: 'memory',
    get: async (account) => entries.get(account) ?? null,
    set: async (account, secret) => void entries.set(account, secret),
    delete: async (account) => entries.delete(account),
    findAll: async () => [...entries].map(([account, secret]) => ({ account, secret })),
  };
}
