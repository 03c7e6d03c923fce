import type { ApplicationInput } from '../data2crm/types.js';
import type { ConnectionSecrets } from '../secrets/connection-secrets.js';
import type { ConnectionRecord } from '../settings/schema.js';

/**
 * The Data2CRM application body for an existing connection: Data2CRM-refreshed connections send
 * all three values; the others only the instance URL and access token (the refresh token stays
 * in the keychain).
 */
export function applicationInput(record: Pick<ConnectionRecord, 'mode' | 'crmType' | 'label'>, secrets: Pick<ConnectionSecrets, 'accessToken' | 'refreshToken'>, instanceUrl: string): ApplicationInput {
  const base = { type: record.crmType, description: record.label };
  if (record.mode === 'internal') return { ...base, authorization: 'oAuth-internal', credentials: { instanceUrl, accessToken: secrets.accessToken, refreshToken: secrets.refreshToken ?? '' } };
  return { ...base, authorization: 'oAuth-external-refresh', credentials: { instanceUrl, accessToken: secrets.accessToken } };
}
