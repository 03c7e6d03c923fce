/**
 * The startup probe (as MSAL does): write, read back and delete a marker in each candidate store,
 * in order of preference; the first that passes holds the secrets. When none does, secrets stay
 * in memory for this session and the app says "storage degraded": never a silent plaintext file.
 */
import { randomUUID } from 'node:crypto';
import type { Logger, SecretStore } from '../ports.js';
import { createMemorySecretStore } from './memory-secret-store.js';
import { withTimeout } from './with-timeout.js';

export type StorageStatus =
  | { kind: 'keychain' }
  | { kind: 'encrypted-file' }
  | { kind: 'session-only'; reason: string };

export interface SecretStoreCandidate {
  readonly name: string;
  /** Null when this store is known unusable without probing (e.g. safeStorage's basic_text). */
  readonly create: () => SecretStore | null;
}

const PROBE_ACCOUNT_PREFIX = 'probe-';
const PROBE_TIMEOUT_MS = 5_000;

async function probe(store: SecretStore): Promise<void> {
  const account = `${PROBE_ACCOUNT_PREFIX}${randomUUID()}`;
  const marker = randomUUID();
  await store.set(account, marker);
  try {
    if ((await store.get(account)) !== marker) throw new Error('read back a different value');
  } finally {
    await store.delete(account);
  }
}

export async function chooseSecretStore(candidates: readonly SecretStoreCandidate[], logger: Logger, probeTimeoutMs = PROBE_TIMEOUT_MS): Promise<{ store: SecretStore; status: StorageStatus }> {
  const problems: string[] = [];
  for (const candidate of candidates) {
    let store: SecretStore | null;
    try {
      store = candidate.create();
    } catch {
      store = null;
    }
    if (!store) {
      problems.push(`${candidate.name}: not available`);
      continue;
    }
    try {
      // A keychain that hangs (no D-Bus, a prompt nobody answers) must not hang the app.
      await withTimeout(probe(store), probeTimeoutMs, 'keychain probe');
      logger.info('secrets: storage chosen', { store: candidate.name });
      return { store, status: store.kind === 'keychain' ? { kind: 'keychain' } : { kind: 'encrypted-file' } };
    } catch (error) {
      problems.push(`${candidate.name}: ${error instanceof Error ? error.message.slice(0, 120) : 'failed'}`);
    }
  }
  const reason = problems.length ? problems.join('; ') : 'no secure storage configured';
  logger.warn('secrets: no secure storage works; keeping secrets in memory for this session', { reason });
  return { store: createMemorySecretStore(), status: { kind: 'session-only', reason } };
}

/** Electron safeStorage on Linux without a keyring reports basic_text: effectively unprotected. */
export function isEncryptionUsable(available: boolean, linuxBackend: string | null): boolean {
  return available && linuxBackend !== 'basic_text' && linuxBackend !== 'unknown';
}
