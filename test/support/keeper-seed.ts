/**
 * Data folders for keeper tests. External connections come in the way an operator adds them
 * (`keeper add --paste` with tokens from the sandbox's own sign-in). An internal connection (made
 * by Data2CRM's sign-in, which needs a browser) is written the way a keeper finds one handed over
 * from the tray: its record among the settings file's connections (imported at the next start),
 * its secrets sealed with the folder's key, its application registered in Data2CRM over HTTP.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createEncryptedFileSecretStore, sealedEntry } from '../../main/adapters/encrypted-file-secret-store.js';
import { parseKeyFile } from '../../main/core/keeper/secret-key.js';
import { encodeSecrets } from '../../main/core/secrets/connection-secrets.js';
import { defaultSettings } from '../../main/core/settings/schema.js';
import { SAMPLE_CLIENT, SAMPLE_USER, SAMPLE_USER_KEY, type Sandbox } from '../sandbox/server.js';
import { runKeeper } from './keeper-process.js';
import { connectionRecord } from './many-connections.js';
import { externalTokens, internalTokens } from './sandbox-tokens.js';

export interface KeeperFolder {
  readonly dir: string;
  readonly data: string;
  readonly keyFile: string;
  readonly userKeyFile: string;
  /** What every keeper command of the test starts with. */
  readonly args: (...more: string[]) => string[];
}

export async function keeperFolder(dir: string, sandbox: Sandbox): Promise<KeeperFolder> {
  const keyFile = join(dir, 'keeper.key');
  const userKeyFile = join(dir, 'user.key');
  writeFileSync(userKeyFile, `${SAMPLE_USER_KEY}\n`);
  const made = await runKeeper(['init-key', '--key-file', keyFile]);
  if (made.code !== 0) throw new Error(made.stderr);
  const data = join(dir, 'data');
  return { dir, data, keyFile, userKeyFile, args: (...more) => ['--data', data, '--key-file', keyFile, '--user-key-file', userKeyFile, '--sandbox', sandbox.urls.origin, ...more] };
}

/** `keeper add --paste` with live tokens of the sample connected app: an external connection the keeper refreshes. */
export async function addExternal(folder: KeeperFolder, sandbox: Sandbox, label: string): Promise<{ id: string; applicationKey: string }> {
  const tokens = await externalTokens(sandbox);
  const before = new Set(sandbox.state.applications.keys());
  const added = await runKeeper(['add', '--paste', ...folder.args('--label', label, '--instance-url', tokens.instanceUrl, '--client-id', SAMPLE_CLIENT.clientId)], { stdin: `${tokens.accessToken}\n${tokens.refreshToken}\n` });
  if (added.code !== 0) throw new Error(`keeper add failed (${added.code}): ${added.stderr}`);
  const id = /\(([0-9a-f-]{36})\)/.exec(added.stdout)![1]!;
  const applicationKey = [...sandbox.state.applications.keys()].find((key) => !before.has(key))!;
  return { id, applicationKey };
}

/** An oAuth-internal connection as a hand-over leaves it in the folder (the keeper imports it at its next start). */
export async function seedInternal(folder: KeeperFolder, sandbox: Sandbox, label: string): Promise<{ id: string; applicationKey: string }> {
  const tokens = await internalTokens(sandbox);
  const created = await fetch(`${sandbox.urls.data2crmApi}/application`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api2crm-user-key': SAMPLE_USER_KEY },
    body: JSON.stringify({ type: 'Salesforce', description: label, authorization: 'oAuth-internal', credential: [{ name: 'instance_url', value: tokens.instanceUrl }, { name: 'access_token', value: tokens.accessToken }, { name: 'refresh_token', value: tokens.refreshToken }] }),
  });
  const { key: applicationKey } = (await created.json()) as { key: string };
  const user = sandbox.state.users.get(SAMPLE_USER.username)!;
  const id = randomUUID();
  const record = connectionRecord(label, { id, mode: 'internal', loginBaseUrl: sandbox.urls.salesforceLogin, instanceUrl: tokens.instanceUrl, orgId: user.orgId, userId: user.userId, username: user.username, applicationKey, lastVerifiedAt: Date.now() });
  const key = parseKeyFile(readFileSync(folder.keyFile));
  if (!key.ok) throw new Error(key.error);
  const secrets = join(folder.data, 'secrets');
  mkdirSync(secrets, { recursive: true, mode: 0o700 });
  if (createEncryptedFileSecretStore(secrets, key.value).checkKey() === 'wrong-key') throw new Error('the folder has another key');
  const entry = sealedEntry(key.value, `connection:${id}`, encodeSecrets({ accessToken: tokens.accessToken, refreshToken: tokens.refreshToken }));
  writeFileSync(join(secrets, entry.name), entry.text, { mode: 0o600 });
  const settingsPath = join(folder.data, 'settings.json');
  const settings = existsSync(settingsPath) ? (JSON.parse(readFileSync(settingsPath, 'utf8')) as { connections?: unknown[] }) : defaultSettings();
  writeFileSync(settingsPath, JSON.stringify({ ...settings, connections: [...(settings.connections ?? []), record] }), { mode: 0o600 });
  return { id, applicationKey };
}

/** Data2CRM's own view: does the application's integration work right now? */
export async function authorizedInData2crm(sandbox: Sandbox, applicationKey: string): Promise<boolean> {
  const response = await fetch(`${sandbox.urls.data2crmApi}/application/${applicationKey}`, { headers: { 'x-api2crm-user-key': SAMPLE_USER_KEY } });
  return response.ok && ((await response.json()) as { is_authorized?: boolean }).is_authorized === true;
}
