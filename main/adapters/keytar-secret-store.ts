/** SecretStore over the OS keychain (keytar: Keychain, Credential Vault, Secret Service). */
import keytar from 'keytar';
import type { SecretStore } from '../core/ports.js';

export function createKeytarSecretStore(service: string): SecretStore {
  return {
    kind: 'keychain',
    get: (account) => keytar.getPassword(service, account),
    set: (account, secret) => keytar.setPassword(service, account, secret),
    delete: (account) => keytar.deletePassword(service, account),
    findAll: async () => (await keytar.findCredentials(service)).map(({ account, password }) => ({ account, secret: password })),
  };
}
