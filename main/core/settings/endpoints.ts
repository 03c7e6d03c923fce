/**
 * Where the app talks to: Data2CRM's API and auth bases and the Salesforce login host are
 * settings (the vendor documents more than one host, and the sandbox stands in for all three).
 */
import { isLoopbackHost } from '../salesforce/hosts.js';
import { err, ok, type Result } from '../result.js';

export const DEFAULT_ENDPOINTS = {
  data2crmApiBase: 'https://api-2445581398133.apicast.io:443/v1',
  data2crmAuthBase: 'https://api.api2crm.com',
  salesforceLoginHost: 'login.salesforce.com',
} as const;

/** A URL's origin, or null when it is no URL. */
export function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/** A URL's host (with its port when not the scheme's default), or null when it is no URL. */
export function hostOf(url: string): string | null {
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}

export const LOGIN_HOST_PRESETS = { production: 'login.salesforce.com', sandbox: 'test.salesforce.com' } as const;

/**
 * A base URL: https, or http on loopback only (the local sandbox). No credentials, query or
 * fragment; the trailing slash is dropped so paths can be appended.
 */
export function parseBaseUrl(input: string): Result<string, string> {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    return err('Enter a full URL, for example https://api.example.com/v1.');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) return err('Use https (http is accepted only for a local sandbox on 127.0.0.1 or localhost).');
  if (url.username || url.password) return err('The URL must not contain a user name or password.');
  if (url.search || url.hash) return err('The URL must not contain a query or a fragment.');
  return ok(url.toString().replace(/\/+$/, ''));
}

/**
 * The Salesforce login host as the user types it ("login.salesforce.com", "acme.my.salesforce.com",
 * or a sandbox URL) → the base URL that OAuth endpoints hang off.
 */
export function loginBaseUrl(hostOrUrl: string): Result<string, string> {
  const input = hostOrUrl.trim();
  if (/^https?:\/\//i.test(input)) return parseBaseUrl(input);
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/i.test(input)) return err('Enter a host name such as login.salesforce.com or yourdomain.my.salesforce.com.');
  return ok(`https://${input.toLowerCase()}`);
}
