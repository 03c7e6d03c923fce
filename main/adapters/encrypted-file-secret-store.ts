/**
 * SecretStore in a folder of files encrypted with AES-256-GCM (node:crypto), for a keeper on a
 * server without a Secret Service. One file per account, so a rotated token rewrites one small
 * file, never the whole store; each is written to a temporary file, synced, then renamed over the
 * old one (atomic), and the folder is synced. The account name is the authenticated data, so a
 * file copied under another name does not decrypt. `key-check` holds a known text encrypted with
 * the key: a wrong key is told at start, before any secret is read or written with it.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { KeyCheck } from '../core/keeper/secret-storage.js';
import type { SecretStore } from '../core/ports.js';

const KEY_CHECK = 'key-check';
const KEY_CHECK_TEXT = 'data2crm-keeper key check v1';
const SUFFIX = '.enc';
/** An entry larger than this is not ours (a connection's secrets are a few KB). */
const MAX_ENTRY_BYTES = 64 * 1024;

interface Sealed {
  readonly v: 1;
  readonly iv: string;
  readonly tag: string;
  readonly data: string;
}

function seal(key: Buffer, account: string, text: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(account, 'utf8'));
  const data = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  const sealed: Sealed = { v: 1, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
  return JSON.stringify(sealed);
}

/** The plain text, or null when the file is damaged, not ours, or sealed with another key. */
function open(key: Buffer, account: string, fileText: string): string | null {
  try {
    const sealed = JSON.parse(fileText) as Partial<Sealed>;
    if (sealed.v !== 1 || typeof sealed.iv !== 'string' || typeof sealed.tag !== 'string' || typeof sealed.data !== 'string') return null;
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
    decipher.setAAD(Buffer.from(account, 'utf8'));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}

const fileName = (account: string) => `${Buffer.from(account, 'utf8').toString('base64url')}${SUFFIX}`;
const accountOf = (name: string) => Buffer.from(name.slice(0, -SUFFIX.length), 'base64url').toString('utf8');

function syncFolder(folder: string): void {
  const fd = openSync(folder, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Temporary file, fsync, rename, fsync the folder: after a crash the file is the old one or the new one. */
function writeAtomically(folder: string, name: string, text: string): void {
  const temp = join(folder, `.${name}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fd = openSync(temp, 'wx', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, join(folder, name));
  syncFolder(folder);
}

function readBounded(path: string): string | null {
  try {
    const bytes = readFileSync(path);
    return bytes.length > MAX_ENTRY_BYTES ? null : bytes.toString('utf8');
  } catch {
    return null;
  }
}

export function createEncryptedFileSecretStore(folder: string, key: Buffer): SecretStore & { checkKey(): KeyCheck } {
  if (key.length !== 32) throw new Error('AES-256-GCM needs a 32-byte key.');
  const ensureFolder = () => mkdirSync(folder, { recursive: true, mode: 0o700 });
  return {
    kind: 'encrypted-file',
    /** Whether this key opens the store (a new store is marked with it now). */
    checkKey(): KeyCheck {
      const path = join(folder, KEY_CHECK);
      if (!existsSync(path)) {
        ensureFolder();
        writeAtomically(folder, KEY_CHECK, seal(key, KEY_CHECK, KEY_CHECK_TEXT));
        return 'new';
      }
      const text = readBounded(path);
      if (text === null) return 'damaged';
      const opened = open(key, KEY_CHECK, text);
      return opened === KEY_CHECK_TEXT ? 'matches' : 'wrong-key';
    },
    async get(account) {
      const path = join(folder, fileName(account));
      if (!existsSync(path)) return null;
      const text = readBounded(path);
      const secret = text === null ? null : open(key, account, text);
      if (secret === null) throw new Error('the encrypted entry could not be read');
      return secret;
    },
    async set(account, secret) {
      ensureFolder();
      writeAtomically(folder, fileName(account), seal(key, account, secret));
    },
    async delete(account) {
      const path = join(folder, fileName(account));
      if (!existsSync(path)) return false;
      rmSync(path);
      syncFolder(folder);
      return true;
    },
    // One entry that does not open (damaged, another key) comes back null: it affects only itself.
    async findAll() {
      if (!existsSync(folder)) return [];
      return readdirSync(folder)
        .filter((name) => name.endsWith(SUFFIX) && !name.startsWith('.'))
        .map((name) => {
          const account = accountOf(name);
          const text = readBounded(join(folder, name));
          return { account, secret: text === null ? null : open(key, account, text) };
        });
    },
  };
}
