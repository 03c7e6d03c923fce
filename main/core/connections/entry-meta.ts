import type { EntryMeta } from '../secrets/connection-secrets.js';
import type { ConnectionRecord } from '../settings/schema.js';

/** The record's fields an orphaned keychain entry needs to be rebuilt into a connection. */
export type RecordBase = Pick<ConnectionRecord, 'label' | 'mode' | 'crmType' | 'loginBaseUrl' | 'instanceUrl' | 'orgId' | 'userId' | 'username' | 'connectedApp'>;

export function entryMeta(base: RecordBase, applicationKey: string | null, createdAt: number): EntryMeta {
  const { label, mode, crmType, loginBaseUrl, instanceUrl, orgId, userId, username, connectedApp } = base;
  return { label, mode, crmType, loginBaseUrl, instanceUrl, orgId, userId, username, connectedApp, applicationKey, createdAt };
}


export function recordBase(meta: EntryMeta): RecordBase {
  const { label, mode, crmType, loginBaseUrl, instanceUrl, orgId, userId, username, connectedApp } = meta;
  return { label, mode, crmType, loginBaseUrl, instanceUrl, orgId, userId, username, connectedApp };
}
