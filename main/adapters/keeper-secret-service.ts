/**
 * The Secret Service for a keeper, through keytar, loaded only when first used: a container
 * without libsecret (or without the native module) then simply has no Secret Service, and the
 * core's probe says so, instead of the keeper failing to start on an import.
 */
import type * as KeytarModule from 'keytar';
import type { SecretStoreCandidate } from '../core/secrets/choose-secret-store.js';
import type { SecretStore } from '../core/ports.js';

type Keytar = typeof KeytarModule;

/** One service name per data folder: two keepers on one machine never share entries. */
export const keeperServiceName = (dataFolder: string) => `Data2CRM Keeper ${dataFolder}`;

export function keeperSecretService(dataFolder: string): SecretStoreCandidate {
  const service = keeperServiceName(dataFolder);
  let loaded: Promise<Keytar> | null = null;
  const keytar = () => (loaded ??= import('keytar').then((m) => ((m as { default?: Keytar }).default ?? m) as Keytar));
  const store: SecretStore = {
    kind: 'keychain',
    get: async (account) => (await keytar()).getPassword(service, account),
    set: async (account, secret) => (await keytar()).setPassword(service, account, secret),
    delete: async (account) => (await keytar()).deletePassword(service, account),
    findAll: async () => (await (await keytar()).findCredentials(service)).map(({ account, password }) => ({ account, secret: password })),
  };
  return { name: 'Secret Service', create: () => store };
}
