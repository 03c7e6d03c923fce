/**
 * SecretStore in a folder of files encrypted with AES-256-GCM (node:crypto), for a keeper on a
 * server without a Secret Service. One file per account, so a rotated token rewrites one small
 * file, never the whole store; each is written to a temporary file, synced, then renamed over the
 * old one (atomic), and the folder is synced. The account name is the authenticated data, so a
 * file copied under another name does not decrypt. `key-check` holds a known text encrypted with
 * the key: a wrong key is told at start, before any secret is read or written with it.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { mkdir, open as openFile, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
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

function syncFolderNow(folder: string): void {
  const fd = openSync(folder, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The key check, once at start: written before anything else may happen. */
function writeNow(folder: string, name: string, text: string): void {
  const temp = join(folder, `.${name}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fd = openSync(temp, 'wx', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, join(folder, name));
  syncFolderNow(folder);
}

async function syncFolder(folder: string): Promise<void> {
  const handle = await openFile(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Temporary file, fsync, rename, fsync the folder: after a crash the file is the old one or the
 * new one, never a mix. The syncs run on libuv's threads, not the main thread (each costs
 * milliseconds on a real disk).
 */
async function writeAtomically(folder: string, name: string, text: string): Promise<void> {
  const temp = join(folder, `.${name}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await openFile(temp, 'wx', 0o600);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, join(folder, name));
  await syncFolder(folder);
}

function readBoundedNow(path: string): string | null {
  try {
    const bytes = readFileSync(path);
    return bytes.length > MAX_ENTRY_BYTES ? null : bytes.toString('utf8');
  } catch {
    return null;
  }
}

/** The file's text; null when it is missing; 'unreadable' when it is too large or cannot be read. */
async function readBounded(path: string): Promise<string | null | 'unreadable'> {
  try {
    if ((await stat(path)).size > MAX_ENTRY_BYTES) return 'unreadable';
    return await readFile(path, 'utf8');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? null : 'unreadable';
  }
}

/** Reads many files, a few at a time: a listing of 10,000 entries never blocks the main thread. */
async function mapLimited<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        out[index] = await work(items[index]!);
      }
    }),
  );
  return out;
}

/** A sealed entry as the store writes it (the bench seeds folders with it, without a sync per file). */
export function sealedEntry(key: Buffer, account: string, secret: string): { name: string; text: string } {
  return { name: fileName(account), text: seal(key, account, secret) };
}

export function createEncryptedFileSecretStore(folder: string, key: Buffer): SecretStore & { checkKey(): KeyCheck } {
  if (key.length !== 32) throw new Error('AES-256-GCM needs a 32-byte key.');
  // Writes of one account run in call order (a later write never lands before an earlier one).
  const chains = new Map<string, Promise<unknown>>();
  const inOrder = <T>(account: string, work: () => Promise<T>): Promise<T> => {
    const run = (chains.get(account) ?? Promise.resolve()).then(work, work);
    const settled = run.catch(() => undefined);
    chains.set(account, settled);
    void settled.then(() => chains.get(account) === settled && chains.delete(account));
    return run;
  };
  return {
    kind: 'encrypted-file',
    /** Whether this key opens the store (a new store is marked with it now). */
    checkKey(): KeyCheck {
      const path = join(folder, KEY_CHECK);
      if (!existsSync(path)) {
        mkdirSync(folder, { recursive: true, mode: 0o700 });
        writeNow(folder, KEY_CHECK, seal(key, KEY_CHECK, KEY_CHECK_TEXT));
        return 'new';
      }
      const text = readBoundedNow(path);
      if (text === null) return 'damaged';
      return open(key, KEY_CHECK, text) === KEY_CHECK_TEXT ? 'matches' : 'wrong-key';
    },
    get: (account) =>
      inOrder(account, async () => {
        const text = await readBounded(join(folder, fileName(account)));
        if (text === null) return null;
        const secret = text === 'unreadable' ? null : open(key, account, text);
        if (secret === null) throw new Error('the encrypted entry could not be read');
        return secret;
      }),
    set: (account, secret) =>
      inOrder(account, async () => {
        await mkdir(folder, { recursive: true, mode: 0o700 });
        await writeAtomically(folder, fileName(account), seal(key, account, secret));
      }),
    delete: (account) =>
      inOrder(account, async () => {
        try {
          await rm(join(folder, fileName(account)));
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
          throw error;
        }
        await syncFolder(folder);
        return true;
      }),
    // One entry that does not open (damaged, another key) comes back null: it affects only itself.
    async findAll() {
      let names: string[];
      try {
        names = (await readdir(folder)).filter((name) => name.endsWith(SUFFIX) && !name.startsWith('.'));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw error;
      }
      return mapLimited(names, 16, async (name) => {
        const account = accountOf(name);
        const text = await readBounded(join(folder, name));
        return { account, secret: typeof text === 'string' && text !== 'unreadable' ? open(key, account, text) : null };
      });
    },
  };
}
