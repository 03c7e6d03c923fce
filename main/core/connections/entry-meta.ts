/**
 * The metadata a connection's keychain entry carries, to rebuild its record (orphans.ts). The
 * keychain is input like any other: anything on the machine that can write the app's entries can
 * write one, so metadata is held to the rules a connect follows before Recover registers its
 * instance with Data2CRM or Delete sends its refresh token anywhere.
 */
import { LIMITS } from '../../../preload/contract.js';
import type { EntryMeta } from '../secrets/connection-secrets.js';
import { isLoopbackHost, isSalesforceHost, isTrustedSalesforceUrl } from '../salesforce/hosts.js';
import { loginBaseUrl, originOf, parseBaseUrl } from '../settings/endpoints.js';
import type { ConnectionRecord, Settings } from '../settings/schema.js';

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

/** What the user has confirmed as places for secrets, read once for a pass over the entries. */
export interface EntryTrust {
  /** Instance hosts besides Salesforce's (the confirmed sandbox). */
  readonly extraInstanceHosts: readonly string[];
  /** Login origins the user confirmed: the settings' login host and every connection's own. */
  readonly loginOrigins: ReadonlySet<string>;
}

export function entryTrust(settings: Pick<Settings, 'endpoints' | 'extraInstanceHosts' | 'connections'>): EntryTrust {
  const confirmed = loginBaseUrl(settings.endpoints.salesforceLoginHost);
  const origins = [confirmed.ok ? originOf(confirmed.value) : null, ...settings.connections.map((c) => originOf(c.loginBaseUrl))];
  return { extraInstanceHosts: settings.extraInstanceHosts, loginOrigins: new Set(origins.filter((o): o is string => o !== null)) };
}

/** A login address a connect could have used: https on Salesforce's own hosts, or one the user confirmed (the only way to a loopback http one). */
function isTrustedLoginBase(url: string, trust: EntryTrust): boolean {
  const parsed = parseBaseUrl(url);
  if (!parsed.ok) return false;
  const { protocol, hostname, origin } = new URL(parsed.value);
  return (protocol === 'https:' && !isLoopbackHost(hostname) && isSalesforceHost(hostname)) || trust.loginOrigins.has(origin);
}

/**
 * Why an entry's metadata is not one this app would have written with the current settings, in
 * plain words; null when it passes. Its instance must be one a connect accepts (a Salesforce
 * https host, or an instance host the user confirmed), its login address Salesforce's or a
 * confirmed one, every field within the limits a connect checks.
 */
export function untrustedMeta(meta: EntryMeta, trust: EntryTrust): string | null {
  if (meta.instanceUrl.length > LIMITS.host || !isTrustedSalesforceUrl(meta.instanceUrl, trust.extraInstanceHosts)) return 'its instance address is not a Salesforce address the app trusts';
  if (meta.loginBaseUrl.length > LIMITS.host || !isTrustedLoginBase(meta.loginBaseUrl, trust)) return 'its sign-in address is not Salesforce’s or one you confirmed';
  if (meta.connectedApp && !/^[\w.~-]{1,300}$/.test(meta.connectedApp.clientId)) return 'its connected app’s consumer key is not one the app accepts';
  if (meta.mode === 'external' && !meta.connectedApp) return 'it names no connected app for an own-app connection';
  if (!meta.label.trim() || meta.label.length > LIMITS.label) return 'its name is empty or too long';
  return null;
}
