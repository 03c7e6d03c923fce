/**
 * The keeper's one-shot commands on its data folder (the keeper itself stopped: the folder's lock
 * says): init-key, add --paste, connect --device, receive, handback. Answers on stdout, problems on
 * stderr in one sentence, an exit code.
 */
import { hostname } from 'node:os';
import { readSmallFile, writeNewFile, writeNewKeyFile } from '../adapters/data-folder.js';
import { createJsonLineLogger } from '../adapters/json-line-logger.js';
import type { Core } from '../core/compose.js';
import { noticeFields } from '../core/keeper/notices.js';
import { EXIT, type AddPasteOptions, type ConnectDeviceOptions, type HandbackOptions, type InitKeyOptions, type ReceiveOptions, type RunOptions } from '../core/keeper/options.js';
import { keyFileText } from '../core/keeper/secret-key.js';
import { createKeeperConnect, MAX_PASTE_BYTES, type ConnectedApp } from '../core/keeper/connect.js';
import { MAX_PACKAGE_CHARS } from '../core/handover/package.js';
import { complain, holdProcessOpen, openKeeper, PROGRAM, Refusal, say, type FolderOptions } from './open.js';

export function initKey(options: InitKeyOptions): number {
  const written = writeNewKeyFile(options.keyFile, keyFileText);
  if (!written.ok) throw new Refusal(`No key was written to ${options.keyFile}: ${written.reason}.`, EXIT.failed);
  say(`A new 256-bit key is in ${options.keyFile} (mode 0600). Give it to the keeper with --key-file ${options.keyFile}, systemd's LoadCredential=keeper-key:${options.keyFile}, or a Docker secret named keeper-key. Keep a copy somewhere safe: without it the secrets cannot be read.`);
  return EXIT.ok;
}

/** stdin, at most `max` bytes (tokens for `keeper add --paste`). */
async function readStdin(max: number): Promise<string> {
  if (process.stdin.isTTY) complain('Paste the access token, Enter, then the refresh token (optional), Enter, then Ctrl+D.');
  let text = '';
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.length > max) throw new Refusal('That is more than two tokens: nothing was added.', EXIT.failed);
  }
  return text;
}

/** The connected app named on the command line; its secret from a file, never from argv. */
function connectedApp(options: AddPasteOptions | ConnectDeviceOptions): ConnectedApp | null {
  if (!options.clientId) return null;
  let clientSecret: string | undefined;
  if (options.clientSecretFile) {
    const read = readSmallFile(options.clientSecretFile, 4096);
    if (!read.ok || !read.bytes) throw new Refusal(`The client secret file ${options.clientSecretFile} cannot be read${read.ok ? ': it does not exist' : `: ${read.reason}`}.`, EXIT.failed);
    clientSecret = read.bytes.toString('utf8').trim();
  }
  return { clientId: options.clientId, ...(clientSecret ? { clientSecret } : {}), ...(options.loginHost ? { loginHost: options.loginHost } : {}) };
}

export async function addPasted(options: AddPasteOptions, core: Core): Promise<number> {
  const pasted = await readStdin(MAX_PASTE_BYTES);
  const result = await createKeeperConnect(core).addPasted({ label: options.label, crmType: options.crmType, instanceUrl: options.instanceUrl, pasted, app: connectedApp(options) });
  (result.ok ? say : complain)(result.message ?? (result.ok ? 'Added.' : 'Not added.'));
  return result.ok ? EXIT.ok : EXIT.failed;
}

export async function connectDevice(options: ConnectDeviceOptions, core: Core): Promise<number> {
  const cancel = new AbortController();
  process.once('SIGINT', () => cancel.abort());
  const result = await createKeeperConnect(core).connectDevice(
    { label: options.label, crmType: options.crmType, app: connectedApp(options)! },
    (prompt) => {
      say(`To connect, open ${prompt.verificationUri} on any device, sign in to Salesforce and enter the code:`);
      say(`Code: ${prompt.userCode}`);
      say(`(valid until ${new Date(prompt.expiresAt).toLocaleTimeString()}; waiting…)`);
    },
    cancel.signal,
  );
  (result.ok ? say : complain)(result.message ?? (result.ok ? 'Connected.' : 'Not connected.'));
  return result.ok ? EXIT.ok : EXIT.failed;
}

/** A small secret from a file (bounded), or stdin when no file is named. */
async function secretInput(file: string | null, what: string): Promise<string> {
  if (!file) return (await readStdin(4096)).trim();
  const read = readSmallFile(file, 4096);
  if (!read.ok || !read.bytes) throw new Refusal(`The ${what} file ${file} cannot be read${read.ok ? ': it does not exist' : `: ${read.reason}`}.`, EXIT.failed);
  return read.bytes.toString('utf8').trim();
}

export async function receive(options: ReceiveOptions, core: Core): Promise<number> {
  const read = readSmallFile(options.file, MAX_PACKAGE_CHARS);
  if (!read.ok || !read.bytes) throw new Refusal(`The hand-over file ${options.file} cannot be read${read.ok ? ': it does not exist' : `: ${read.reason}`}.`, EXIT.failed);
  const passphrase = await secretInput(options.passphraseFile, 'passphrase');
  const received = await core.handover.receive(read.bytes.toString('utf8'), passphrase);
  if (!received.ok) {
    complain(received.error);
    return EXIT.failed;
  }
  say(`${received.value.again ? 'Already taken' : 'Taken'}: ${received.value.record.label} (${received.value.record.id}); this keeper renews it from now on.`);
  say(`Receipt: ${received.value.receipt}   (give it to the tray to finish the hand-over)`);
  return EXIT.ok;
}

export async function handback(options: HandbackOptions, core: Core): Promise<number> {
  const step = options.step;
  if (step.kind === 'begin') {
    const sealed = await core.handover.begin(options.connection, { from: step.name ?? hostname(), to: step.to });
    if (!sealed.ok) {
      complain(sealed.error);
      return EXIT.failed;
    }
    const written = writeNewFile(step.out, sealed.value.sealed);
    if (!written.ok) {
      // Nothing left this machine: the keeper renews it again.
      await core.handover.cancel(options.connection);
      throw new Refusal(`Nothing was handed back: ${step.out} could not be written (${written.reason}).`, EXIT.failed);
    }
    say(`Sealed into ${step.out}; this keeper no longer renews it. Passphrase (shown once): ${sealed.value.passphrase}`);
    say(`Then: ${PROGRAM} handback --connection ${options.connection} --complete --receipt CODE (the code the tray shows when it takes the file).`);
    return EXIT.ok;
  }
  const result = step.kind === 'complete' ? await core.handover.complete(options.connection, step.receipt, 'forget') : await core.handover.cancel(options.connection);
  (result.ok ? say : complain)(result.message ?? '');
  return result.ok ? EXIT.ok : EXIT.failed;
}

/** A one-shot command on the data folder (the keeper must not be running on it: the lock says). */
export async function once<T extends Exclude<FolderOptions, RunOptions>>(options: T, work: (options: T, core: Core) => Promise<number>): Promise<number> {
  // One-shot commands talk to a person: log lines go to stderr, the answer to stdout.
  const logger = createJsonLineLogger((line) => process.stderr.write(line), { minLevel: 'warn' });
  const keeper = await openKeeper(options, logger, (notice) => logger.warn(notice.title, noticeFields(notice)), () => undefined);
  const release = holdProcessOpen();
  try {
    return await work(options, keeper.core);
  } finally {
    release();
    keeper.core.keepAlive.stop();
    await keeper.close();
  }
}

