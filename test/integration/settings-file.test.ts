/** The settings file through the same store code the app uses (conf in a temp folder). */
import Conf from 'conf';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStoreSettingsFile } from '../../main/adapters/store-settings-file.js';
import { defaultSettings, SETTINGS_VERSION } from '../../main/core/settings/schema.js';
import { openSettings } from '../../main/core/settings/settings-repository.js';
import { createMemoryLogger } from '../support/memory-logger.js';

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'd2c-settings-'));
  path = join(dir, 'config.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const open = () => openSettings(createStoreSettingsFile(path, () => new Conf<Record<string, unknown>>({ cwd: dir, configName: 'config' })), createMemoryLogger());
const backups = () => readdirSync(dir).filter((f) => f.includes('.unreadable-'));

describe('settings file', () => {
  it('starts with defaults and persists changes across a reopen', () => {
    const first = open();
    expect(first.recovery).toBeNull();
    expect(first.repository.get()).toEqual(defaultSettings());
    first.repository.update((s) => ({ ...s, signIn: { ...s.signIn, with: 'system-browser' } }));
    expect(open().repository.get().signIn.with).toBe('system-browser');
  });

  it.each([
    ['truncated', '{"version": 1, "endpoints": {"data2crmApiBase": "https://'],
    ['not JSON at all', '\u0000\u0001binary garbage'],
    ['JSON of the wrong shape', JSON.stringify({ version: 1, connections: 'lots' })],
    ['an array', '[1,2,3]'],
    ['from a newer app', JSON.stringify({ version: SETTINGS_VERSION + 1 })],
  ])('a file that is %s is backed up, defaults load, and the user is told', (_name, content) => {
    writeFileSync(path, content);
    const { repository, recovery } = open();
    expect(repository.get()).toEqual(defaultSettings());
    expect(recovery?.message).toMatch(/could not be read .* defaults were loaded\. The old file was kept at /);
    expect(backups()).toHaveLength(1);
    expect(readFileSync(join(dir, backups()[0]!), 'utf8')).toBe(content);
    // The next start is clean: no crash loop, no second backup.
    expect(open().recovery).toBeNull();
    expect(backups()).toHaveLength(1);
  });

  it('migrates a version-0 file (no version field) and keeps its values', () => {
    writeFileSync(path, JSON.stringify({ extraInstanceHosts: ['127.0.0.1:4517'], signIn: { with: 'system-browser', timeoutMs: 120000, callbackPort: 1818 } }));
    const { repository, recovery } = open();
    expect(recovery).toBeNull();
    expect(repository.get()).toMatchObject({ version: 1, extraInstanceHosts: ['127.0.0.1:4517'], signIn: { with: 'system-browser', callbackPort: 1818 }, connections: [] });
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ version: 1 });
  });

  it('refuses to write a malformed document, keeping the file as it was', () => {
    const { repository } = open();
    repository.update((s) => s);
    const before = readFileSync(path, 'utf8');
    expect(() => repository.update((s) => ({ ...s, signIn: { ...s.signIn, timeoutMs: -1 } }))).toThrow();
    expect(readFileSync(path, 'utf8')).toBe(before);
    expect(existsSync(path)).toBe(true);
  });
});
