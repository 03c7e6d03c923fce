import { describe, expect, it } from 'vitest';
import { chooseSecretStore, createMemorySecretStore, isEncryptionUsable } from '../../main/core/index.js';
import type { SecretStore } from '../../main/core/ports.js';
import { createMemoryLogger } from '../support/memory-logger.js';

const broken = (how: 'throws' | 'hangs' | 'lies'): SecretStore => ({
  kind: 'keychain',
  set: () => (how === 'throws' ? Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')) : how === 'hangs' ? new Promise(() => undefined) : Promise.resolve()),
  get: () => Promise.resolve('something else'),
  delete: () => Promise.resolve(true),
  findAll: () => Promise.resolve([]),
});

describe('choosing the secret store at startup', () => {
  it('takes the first candidate whose write/read/delete probe passes, and leaves no probe entry', async () => {
    const keychain = { ...createMemorySecretStore(), kind: 'keychain' as const };
    const { store, status } = await chooseSecretStore([{ name: 'keychain', create: () => keychain }, { name: 'encrypted file', create: () => null }], createMemoryLogger());
    expect(store).toBe(keychain);
    expect(status).toEqual({ kind: 'keychain' });
    expect(await keychain.findAll()).toEqual([]);
  });

  it('falls through a failing keychain to the encrypted file', async () => {
    const file = { ...createMemorySecretStore(), kind: 'encrypted-file' as const };
    const { status } = await chooseSecretStore([{ name: 'keychain', create: () => broken('throws') }, { name: 'encrypted file', create: () => file }], createMemoryLogger());
    expect(status).toEqual({ kind: 'encrypted-file' });
  });

  it.each(['throws', 'hangs', 'lies'] as const)('a keychain that %s and no usable encryption → session-only memory, with the reasons', async (how) => {
    const logger = createMemoryLogger();
    const { store, status } = await chooseSecretStore([{ name: 'keychain', create: () => broken(how) }, { name: 'encrypted file', create: () => null }], logger, 50);
    expect(store.kind).toBe('memory');
    expect(status.kind).toBe('session-only');
    expect(status.kind === 'session-only' && status.reason).toMatch(/keychain: .+; encrypted file: not available/);
    expect(logger.lines.some((l) => l.level === 'warn')).toBe(true);
  });

  it('treats safeStorage on basic_text as no encryption (case 15)', () => {
    expect(isEncryptionUsable(true, 'basic_text')).toBe(false);
    expect(isEncryptionUsable(true, 'unknown')).toBe(false);
    expect(isEncryptionUsable(false, 'gnome_libsecret')).toBe(false);
    expect(isEncryptionUsable(true, 'gnome_libsecret')).toBe(true);
    expect(isEncryptionUsable(true, null)).toBe(true);
  });
});
