/**
 * The keeper's encryption key: where it may come from, in order, and what a key file holds.
 * An operator gives it as a file (`--key-file`), systemd as a credential (`LoadCredential=`
 * puts it in $CREDENTIALS_DIRECTORY), Docker as a secret (/run/secrets): never on the command
 * line or in the environment, where other processes and logs can see it.
 */
import { join } from 'node:path';
import { err, ok, type Result } from '../result.js';

/** The credential / Docker secret name the keeper looks for. */
export const KEY_CREDENTIAL = 'keeper-key';
export const USER_KEY_CREDENTIAL = 'user-key';
export const DOCKER_SECRETS = '/run/secrets';
/** A key file is a few dozen bytes; anything much larger is the wrong file. */
export const MAX_KEY_FILE_BYTES = 1024;

export interface KeySourceInput {
  readonly keyFile: string | null;
  readonly credentialsDirectory: string | undefined;
}

/** Where to look for the key, best first; `explicit` ones must exist (the operator named them). */
export function keyFileCandidates(input: KeySourceInput): Array<{ path: string; explicit: boolean }> {
  if (input.keyFile) return [{ path: input.keyFile, explicit: true }];
  return [...(input.credentialsDirectory ? [{ path: join(input.credentialsDirectory, KEY_CREDENTIAL), explicit: false }] : []), { path: join(DOCKER_SECRETS, KEY_CREDENTIAL), explicit: false }];
}

/** Where to look for the Data2CRM user key when no --user-key-file is given. */
export function userKeyFileCandidates(input: { userKeyFile: string | null; credentialsDirectory: string | undefined }): Array<{ path: string; explicit: boolean }> {
  if (input.userKeyFile) return [{ path: input.userKeyFile, explicit: true }];
  return [...(input.credentialsDirectory ? [{ path: join(input.credentialsDirectory, USER_KEY_CREDENTIAL), explicit: false }] : []), { path: join(DOCKER_SECRETS, USER_KEY_CREDENTIAL), explicit: false }];
}

/**
 * A key file holds 32 bytes as base64 (what `keeper init-key` writes) or hex, with optional
 * whitespace, or the 32 raw bytes (an encrypted systemd credential decrypts to those).
 */
export function parseKeyFile(bytes: Uint8Array): Result<Buffer, string> {
  if (bytes.length === 32) return ok(Buffer.from(bytes));
  const text = Buffer.from(bytes).toString('utf8').trim();
  if (/^[0-9a-fA-F]{64}$/.test(text)) return ok(Buffer.from(text, 'hex'));
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(text)) {
    const key = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (key.length === 32) return ok(key);
  }
  return err('it does not hold a 256-bit key (base64 or hex, as the keeper’s `init-key` writes)');
}

/** What `keeper init-key` writes: the key as base64 and a newline. */
export function keyFileText(key: Uint8Array): string {
  return `${Buffer.from(key).toString('base64')}\n`;
}

/** A user key file holds the key alone (a trailing newline is fine). */
export function parseUserKeyFile(bytes: Uint8Array): Result<string, string> {
  const text = Buffer.from(bytes).toString('utf8').trim();
  return /^[\w.~-]{8,200}$/.test(text) ? ok(text) : err('it does not hold a Data2CRM user key (letters, digits and . _ ~ - only)');
}

/** Why the keeper does not start without a key, and the command (this keeper's, as it was started: `invokedAs`) that makes one. */
export const noKeyMessage = (program: string) => `No secret store: no Secret Service is reachable and no encryption key was given, and a keeper never keeps tokens in plaintext.
Make a key once:  ${program} init-key --key-file /etc/data2crm-keeper/keeper.key
then give it with --key-file FILE, systemd's LoadCredential=keeper-key:FILE, or a Docker secret named keeper-key.`;
