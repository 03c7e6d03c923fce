/**
 * SettingsFile over electron-store (in the app) or conf (in tests): the same code, handed a
 * function that opens the store. Both parse the file when opened and write atomically.
 */
import { existsSync, renameSync } from 'node:fs';
import type { SettingsFile } from '../core/ports.js';

export interface StoreLike {
  store: Record<string, unknown>;
}

export function createStoreSettingsFile(filePath: string, open: () => StoreLike): SettingsFile {
  let opened: StoreLike | null = null;
  const store = () => (opened ??= open());
  return {
    read() {
      try {
        const data = store().store;
        return { ok: true, data: existsSync(filePath) ? data : undefined };
      } catch (error) {
        opened = null;
        return { ok: false, reason: error instanceof SyntaxError ? 'the file is not valid JSON (truncated or damaged)' : 'the file could not be read' };
      }
    },
    write(data) {
      store().store = data;
    },
    backup() {
      opened = null;
      if (!existsSync(filePath)) return null;
      const target = `${filePath}.unreadable-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
      renameSync(filePath, target);
      return target;
    },
  };
}
