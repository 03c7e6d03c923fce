/** The secure stores the startup probe tries, best first: the OS keychain, then a safeStorage file. */
import { app, safeStorage } from 'electron';
import { join } from 'node:path';
import { isEncryptionUsable, type SecretStoreCandidate } from '../core/secrets/choose-secret-store.js';
import { createKeytarSecretStore } from './keytar-secret-store.js';
import { createSafeStorageSecretStore } from './safe-storage-secret-store.js';

export const KEYCHAIN_SERVICE = 'Data2CRM Tray';

export function secretStoreCandidates(): SecretStoreCandidate[] {
  return [
    { name: 'keychain', create: () => createKeytarSecretStore(KEYCHAIN_SERVICE) },
    {
      name: 'encrypted file',
      create: () => {
        const backend = process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : null;
        return isEncryptionUsable(safeStorage.isEncryptionAvailable(), backend) ? createSafeStorageSecretStore(join(app.getPath('userData'), 'secrets.enc.json')) : null;
      },
    },
  ];
}
