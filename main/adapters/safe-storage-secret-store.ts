/**
 * SecretStore in a file encrypted with Electron's safeStorage: the fallback when the keychain is
 * unusable but OS encryption works (never used when the backend is basic_text; the core decides).
 * One JSON map account → base64 ciphertext, replaced atomically (write a temp file, rename).
 */
import { safeStorage } from 'electron';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { SecretStore } from '../core/ports.js';

export function createSafeStorageSecretStore(filePath: string): SecretStore {
  const readAll = (): Record<string, string> => (existsSync(filePath) ? (JSON.parse(readFileSync(filePath, 'utf8')) as Record<string, string>) : {});
  const writeAll = (entries: Record<string, string>) => {
    const temp = `${filePath}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(entries), { mode: 0o600 });
    renameSync(temp, filePath);
  };
  const decrypt = (value: string) => safeStorage.decryptString(Buffer.from(value, 'base64'));
  return {
    kind: 'encrypted-file',
    get: async (account) => {
      const value = readAll()[account];
      return value === undefined ? null : decrypt(value);
    },
    set: async (account, secret) => writeAll({ ...readAll(), [account]: safeStorage.encryptString(secret).toString('base64') }),
    delete: async (account) => {
      const entries = readAll();
      if (!(account in entries)) return false;
      delete entries[account];
      writeAll(entries);
      return true;
    },
    // One undecryptable entry (another user's key, a damaged value) affects only itself.
    findAll: async () =>
      Object.entries(readAll()).map(([account, value]) => {
        try {
          return { account, secret: decrypt(value) };
        } catch {
          return { account, secret: null };
        }
      }),
  };
}
