/**
 * The Data2CRM and Salesforce clients as the current settings configure them: base URLs, the
 * user key from the vault, the extra hosts, the HTTP port and the clock, in one place.
 */
import type { SecretVault } from './connections/secret-vault.js';
import { createData2CrmClient } from './data2crm/client.js';
import type { Clock, HttpTransport } from './ports.js';
import { createSalesforceOAuthClient } from './salesforce/oauth-client.js';
import type { ConnectionRecord } from './settings/schema.js';
import type { SettingsRepository } from './settings/settings-repository.js';

export interface ServiceClientDeps {
  readonly settings: SettingsRepository;
  readonly vault: SecretVault;
  readonly clock: Clock;
  readonly http?: HttpTransport | undefined;
}

export function createServiceClients({ settings, vault, clock, http }: ServiceClientDeps) {
  const common = { now: () => clock.now(), ...(http ? { http } : {}) };
  // Clients are plain functions of their settings: a check reuses the one built for the same
  // settings instead of building its own (every check asks; settings rarely change).
  let data2crm: { baseUrl: string; client: ReturnType<typeof createData2CrmClient> } | null = null;
  const oauthClients = new Map<string, { clientSecret: string | undefined; extraHosts: readonly string[]; client: ReturnType<typeof createSalesforceOAuthClient> }>();
  const oauth = (app: { loginBaseUrl: string; clientId: string; clientSecret?: string | undefined }) => {
    const extraHosts = settings.get().extraInstanceHosts;
    const key = `${app.loginBaseUrl} ${app.clientId}`;
    const kept = oauthClients.get(key);
    if (kept && kept.clientSecret === app.clientSecret && kept.extraHosts === extraHosts) return kept.client;
    const client = createSalesforceOAuthClient({ ...app, extraHosts, ...common });
    oauthClients.set(key, { clientSecret: app.clientSecret, extraHosts, client });
    return client;
  };
  return {
    data2crm: () => {
      const baseUrl = settings.get().endpoints.data2crmApiBase;
      if (data2crm?.baseUrl !== baseUrl) data2crm = { baseUrl, client: createData2CrmClient({ baseUrl, userKey: () => vault.userKey(), ...common }) };
      return data2crm.client;
    },
    oauth,
    /** The connection's own connected app (external mode). */
    oauthFor: (record: ConnectionRecord, clientSecret: string | undefined) => oauth({ loginBaseUrl: record.loginBaseUrl, clientId: record.connectedApp!.clientId, clientSecret }),
  };
}

export type ServiceClients = ReturnType<typeof createServiceClients>;
