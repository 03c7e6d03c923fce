/**
 * Where a keeper keeps its secrets. Never plaintext and never memory only (a server that forgets
 * its refresh tokens at a restart breaks every integration it keeps): an encrypted folder when a
 * key is given or the folder already exists, else the Secret Service when one answers, else the
 * keeper refuses to start and says how to make a key. Once secrets are in the encrypted folder,
 * only their key opens them: a missing or different key stops the start, before anything is
 * read or written with it.
 */
import type { Logger, SecretStore } from '../ports.js';
import { err, ok, type Result } from '../result.js';
import { chooseSecretStore, type SecretStoreCandidate } from '../secrets/choose-secret-store.js';
import { noKeyMessage, parseKeyFile } from './secret-key.js';

/** What a key does to an encrypted folder: marks a new one, opens it, or does not. */
export type KeyCheck = 'new' | 'matches' | 'wrong-key' | 'damaged';

export type FoundKey = { kind: 'found'; path: string; bytes: Uint8Array } | { kind: 'none' } | { kind: 'unreadable'; path: string; reason: string };

export interface KeeperSecretInput {
  readonly key: FoundKey;
  /** The encrypted folder already holds secrets (its key-check file exists). */
  readonly encryptedFolderExists: boolean;
  readonly encryptedFolder: string;
  readonly openEncrypted: (key: Buffer) => SecretStore & { checkKey(): KeyCheck };
  /** The Secret Service, when this machine may have one (null: not built in). */
  readonly secretService: SecretStoreCandidate | null;
  readonly logger: Logger;
  /** This keeper as it was started (`invokedAs`): the refusal names the command that makes a key. */
  readonly program: string;
  readonly probeTimeoutMs?: number;
}

export interface KeeperSecrets {
  readonly store: SecretStore;
  /** For logs and /metrics: 'secret-service' or 'encrypted-file'. */
  readonly kind: 'secret-service' | 'encrypted-file';
  readonly detail: string;
}

function openWithKey(input: KeeperSecretInput, key: Extract<FoundKey, { kind: 'found' }>): Result<KeeperSecrets, string> {
  const parsed = parseKeyFile(key.bytes);
  if (!parsed.ok) return err(`The key file ${key.path} cannot be used: ${parsed.error}.`);
  const store = input.openEncrypted(parsed.value);
  const check = store.checkKey();
  if (check === 'wrong-key') return err(`The key in ${key.path} does not open the secrets in ${input.encryptedFolder}: give the key they were made with.`);
  if (check === 'damaged') return err(`The key check in ${input.encryptedFolder} cannot be read (damaged?): nothing was read or written.`);
  input.logger.info(check === 'new' ? 'secrets: a new encrypted folder, sealed with the given key' : 'secrets: the encrypted folder opened with the given key', { folder: input.encryptedFolder, key: key.path });
  return ok({ store, kind: 'encrypted-file', detail: `AES-256-GCM files in ${input.encryptedFolder}` });
}

export async function chooseKeeperSecrets(input: KeeperSecretInput): Promise<Result<KeeperSecrets, string>> {
  const { key } = input;
  if (key.kind === 'unreadable') return err(`The key file ${key.path} cannot be read: ${key.reason}.`);
  if (key.kind === 'found') return openWithKey(input, key);
  if (input.encryptedFolderExists) return err(`The secrets in ${input.encryptedFolder} are encrypted and no key was given.\n${noKeyMessage(input.program)}`);
  if (input.secretService) {
    // The desktop's fallback to memory is not a keeper's: its warning would say what does not happen.
    const chosen = await chooseSecretStore([input.secretService], { ...input.logger, warn: () => undefined }, input.probeTimeoutMs);
    if (chosen.status.kind === 'keychain') return ok({ store: chosen.store, kind: 'secret-service', detail: 'the Secret Service' });
    return err(`${noKeyMessage(input.program)}\n(${chosen.status.kind === 'session-only' ? chosen.status.reason : 'the Secret Service is not usable'})`);
  }
  return err(noKeyMessage(input.program));
}
