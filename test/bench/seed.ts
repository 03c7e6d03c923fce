/**
 * Seeds N external-mode connections directly into the sandbox, a settings file and a secret
 * store (no sign-in pages: benchmarks measure the app's work, not the seeding).
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import type { SecretStore } from '../../main/core/ports.js';
import { encodeSecrets, USER_KEY_ACCOUNT } from '../../main/core/secrets/connection-secrets.js';
import { defaultSettings, type ConnectionRecord, type Settings } from '../../main/core/settings/schema.js';
import { connectionRecord } from '../support/many-connections.js';
import { SAMPLE_CLIENT, SAMPLE_USER, SAMPLE_USER_KEY, type Sandbox } from '../sandbox/server.js';

export interface Seeded {
  readonly records: ConnectionRecord[];
  readonly settings: Settings;
}

export async function seedConnections(sandbox: Sandbox, count: number, options: { store?: SecretStore; settingsPath?: string; issuedAt?: number } = {}): Promise<Seeded> {
  const user = sandbox.state.users.get(SAMPLE_USER.username)!;
  const issuedAtFor = options.issuedAt ?? Date.now();
  const records: ConnectionRecord[] = [];
  for (let i = 0; i < count; i++) {
    const id = randomUUID();
    const tokens = sandbox.state.issueTokens(user.userId, SAMPLE_CLIENT.clientId, true);
    const key = `app_bench_${i}_${id.slice(0, 8)}`;
    sandbox.state.applications.set(key, { key, userKey: SAMPLE_USER_KEY, type: 'Salesforce', authorization: 'oAuth-external-refresh', description: `Org ${i}`, credentials: { instance_url: sandbox.urls.origin, access_token: tokens.accessToken }, createdAt: Date.now() });
    records.push(
      connectionRecord(`Org ${i}`, {
        id,
        mode: 'external',
        loginBaseUrl: sandbox.urls.salesforceLogin,
        instanceUrl: sandbox.urls.origin,
        orgId: user.orgId,
        userId: user.userId,
        username: user.username,
        applicationKey: key,
        connectedApp: { clientId: SAMPLE_CLIENT.clientId, callbackPort: 1717 },
        tokenIssuedAt: issuedAtFor,
        tokenReceivedAt: issuedAtFor,
        learnedLifetimeMs: 2 * 3600 * 1000,
      }),
    );
    if (options.store) await options.store.set(`connection:${id}`, encodeSecrets({ accessToken: tokens.accessToken, refreshToken: tokens.refreshToken!, clientSecret: SAMPLE_CLIENT.clientSecret }));
  }
  const settings: Settings = {
    ...defaultSettings(),
    endpoints: { data2crmApiBase: sandbox.urls.data2crmApi, data2crmAuthBase: sandbox.urls.data2crmAuth, salesforceLoginHost: sandbox.urls.salesforceLogin },
    extraInstanceHosts: [new URL(sandbox.urls.origin).host],
    connections: records,
  };
  await options.store?.set(USER_KEY_ACCOUNT, SAMPLE_USER_KEY);
  if (options.settingsPath) writeFileSync(options.settingsPath, JSON.stringify(settings));
  return { records, settings };
}
