/**
 * SettingsFile over electron-store (in the app) or conf (in tests): the same code, handed a
 * function that opens the store, which writes atomically.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { SettingsFile } from '../core/ports.js';
import { keepPrivate } from './private-files.js';
import { settingsFileFailure } from './storage-refusals.js';

export interface StoreLike {
  store: Record<string, unknown>;
}

export function createStoreSettingsFile(filePath: string, open: () => StoreLike): SettingsFile {
  let opened: StoreLike | null = null;
  const store = () => (opened ??= open());
  return {
    // Read raw, not through the store: the store would quietly turn an array into an object.
    read() {
      if (!existsSync(filePath)) return { ok: true, data: undefined };
      // Read at every start: a file an earlier version (or a copy) left readable by others is narrowed first.
      keepPrivate([filePath]);
      let text: string;
      try {
        text = readFileSync(filePath, 'utf8');
      } catch {
        return { ok: false, reason: 'the file could not be read' };
      }
      try {
        return { ok: true, data: JSON.parse(text) as unknown };
      } catch {
        return { ok: false, reason: 'the file is not valid JSON (truncated or damaged)' };
      }
    },
    write(data) {
      try {
        store().store = data;
      } catch (error) {
        throw settingsFileFailure(error);
      }
    },
    keepAside(data) {
      const target = `${filePath}.set-aside-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
      writeFileSync(target, JSON.stringify(data, null, 2), { mode: 0o600, flag: 'wx' });
      return target;
    },
    backup(kind = 'unreadable') {
      opened = null;
      if (!existsSync(filePath)) return null;
      const target = `${filePath}.${kind}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
      renameSync(filePath, target);
      return target;
    },
  };
}
