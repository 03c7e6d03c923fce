/**
 * The small modules, each recording what main gave it and answering as the doc says:
 * - dialog (https://www.electronjs.org/docs/latest/api/dialog): showMessageBox resolves
 *   `{response}` with the index of the button the test "clicks" (`nextMessageBoxResponse`, 0 = the
 *   first button, then back to 0); showSaveDialog answers `nextSavePath` (null = cancelled).
 * - shell.openExternal, shell.openPath (https://www.electronjs.org/docs/latest/api/shell): recorded, not opened.
 * - clipboard (https://www.electronjs.org/docs/latest/api/clipboard): one text slot.
 * - powerMonitor (https://www.electronjs.org/docs/latest/api/power-monitor): an emitter the test
 *   fires `resume` / `unlock-screen` on.
 * - nativeTheme (https://www.electronjs.org/docs/latest/api/native-theme): light, no high contrast.
 * - safeStorage (https://www.electronjs.org/docs/latest/api/safe-storage): real AES-256-GCM with a
 *   key per stand-in (so ciphertext is never the plaintext); availability and the Linux backend
 *   are set by the test.
 * - net.fetch (https://www.electronjs.org/docs/latest/api/net#netfetchinput-init): http(s) through
 *   Node's fetch, file: read from disk with a content type by extension.
 */
import type { MessageBoxOptions, SaveDialogOptions } from 'electron';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface SystemRecords {
  messageBoxes: MessageBoxOptions[];
  nextMessageBoxResponse: number;
  saveDialogs: SaveDialogOptions[];
  nextSavePath: string | null;
  openedExternally: string[];
  openedPaths: string[];
  clipboard: string;
  encryptionAvailable: boolean;
  storageBackend: string;
}

export function createDialog(records: SystemRecords) {
  return {
    // dialog.showMessageBox([window, ]options): the parent window is optional and comes first.
    showMessageBox: async (windowOrOptions: unknown, maybeOptions?: MessageBoxOptions) => {
      const options = maybeOptions ?? (windowOrOptions as MessageBoxOptions);
      records.messageBoxes.push(options);
      const response = records.nextMessageBoxResponse;
      records.nextMessageBoxResponse = 0;
      return { response, checkboxChecked: false };
    },
    showSaveDialog: async (options: SaveDialogOptions) => {
      records.saveDialogs.push(options);
      const filePath = records.nextSavePath;
      return filePath === null ? { canceled: true, filePath: '' } : { canceled: false, filePath };
    },
    showErrorBox: (title: string, content: string) => {
      records.messageBoxes.push({ type: 'error', message: title, detail: content });
    },
  };
}

export function createShell(records: SystemRecords) {
  return {
    openExternal: async (url: string) => {
      records.openedExternally.push(url);
    },
    /** Resolves '' (no error), as Electron does when the OS opened the file. */
    openPath: async (path: string) => {
      records.openedPaths.push(path);
      return '';
    },
  };
}

export function createClipboard(records: SystemRecords) {
  return {
    writeText: (text: string) => {
      records.clipboard = text;
    },
    readText: () => records.clipboard,
  };
}

export const createPowerMonitor = () => new EventEmitter();

export const nativeTheme = Object.assign(new EventEmitter(), { shouldUseDarkColors: false, shouldUseHighContrastColors: false, themeSource: 'system' as const });

export function createSafeStorage(records: SystemRecords) {
  const key = randomBytes(32);
  const ensure = () => {
    if (!records.encryptionAvailable) throw new Error('Error while encrypting the text provided to safeStorage.encryptString. Encryption is not available.');
  };
  return {
    isEncryptionAvailable: () => records.encryptionAvailable,
    getSelectedStorageBackend: () => records.storageBackend,
    encryptString(plainText: string): Buffer {
      ensure();
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plainText, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    decryptString(encrypted: Buffer): string {
      ensure();
      const decipher = createDecipheriv('aes-256-gcm', key, encrypted.subarray(0, 12));
      decipher.setAuthTag(encrypted.subarray(12, 28));
      return Buffer.concat([decipher.update(encrypted.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}

const CONTENT_TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.png': 'image/png', '.svg': 'image/svg+xml', '.json': 'application/json', '.woff2': 'font/woff2' };

export const net = {
  async fetch(input: string | Request, init?: RequestInit): Promise<Response> {
    const url = typeof input === 'string' ? input : input.url;
    if (!url.startsWith('file:')) return fetch(input, init);
    try {
      const body = await readFile(fileURLToPath(url));
      return new Response(body, { status: 200, headers: { 'content-type': CONTENT_TYPES[extname(url)] ?? 'application/octet-stream' } });
    } catch {
      // Electron rejects net.fetch of a missing file with net::ERR_FILE_NOT_FOUND.
      throw new TypeError(`net::ERR_FILE_NOT_FOUND: ${url}`);
    }
  },
};
