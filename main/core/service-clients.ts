/**
 * The Data2CRM and Salesforce clients as the current settings configure them: base URLs, the
 * user key from the vault, the extra hosts, the HTTP port and the clock, in one place.
 */
import type { SecretVault } from './connections/secret-vault.js';
import { createData2CrmClient } from './data2crm/client.js';
import type { Clock, HttpFetch } from './ports.js';
import { createSalesforceOAuthClient } from './salesforce/oauth-client.js';
import type { ConnectionRecord } from './settings/schema.js';
import type { SettingsRepository } from './settings/settings-repository.js';

export interface ServiceClientDeps {
  readonly settings: SettingsRepository;
  readonly vault: SecretVault;
  readonly clock: Clock;
  readonly fetch?: HttpFetch | undefined;
}

export function createServiceClients({ settings, vault, clock, fetch }: ServiceClientDeps) {
  const common = { now: () => clock.now(), ...(fetch ? { fetch } : {}) };
  const oauth = (app: { loginBaseUrl: string; clientId: string; clientSecret?: string | undefined }) =>
    createSalesforceOAuthClient({ ...app, extraHosts: settings.get().extraInstanceHosts, ...common });
  return {
    data2crm: () => createData2CrmClient({ baseUrl: settings.get().endpoints.data2crmApiBase, userKey: () => vault.userKey(), ...common }),
    oauth,
    /** The connection's own connected app (external mode). */
    oauthFor: (record: ConnectionRecord, clientSecret: string | undefined) => oauth({ loginBaseUrl: record.loginBaseUrl, clientId: record.connectedApp!.clientId, clientSecret }),
  };
}

export type ServiceClients = ReturnType<typeof createServiceClients>;
