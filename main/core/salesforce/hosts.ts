/**
 * Which hosts count as Salesforce. Parsed host names compared by whole labels, never substrings:
 * "evil-salesforce.com" and "salesforce.com.evil.net" are not Salesforce.
 */
const SALESFORCE_DOMAINS = [
  'salesforce.com',
  'force.com',
  'cloudforce.com',
  'salesforce.mil',
  'force.mil',
  'cloudforce.mil',
  'sfcrmproducts.cn',
  'sfcrmapps.cn',
  'salesforce-setup.com',
  'database.com',
];

export function isSalesforceHost(host: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, '');
  return SALESFORCE_DOMAINS.some((domain) => name === domain || name.endsWith(`.${domain}`));
}

export function isLoopbackHost(hostname: string): boolean {
  return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]' || hostname === '::1';
}

/** A URL without user info, parsed; null for anything else. */
function withoutCredentials(url: string): URL | null {
  try {
    const parsed = new URL(url);
    return parsed.username || parsed.password ? null : parsed;
  } catch {
    return null;
  }
}

/** https, or http on loopback (a local sandbox): the only ways a token may travel. */
const secureOrLoopback = (url: URL) => url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));

/**
 * An instance or identity URL we may send a token to: https on a Salesforce host, or one of the
 * explicitly configured extra hosts (the sandbox), where loopback may use http.
 */
export function isTrustedSalesforceUrl(url: string, extraHosts: readonly string[] = []): boolean {
  const parsed = withoutCredentials(url);
  if (!parsed) return false;
  if (extraHosts.includes(parsed.host)) return secureOrLoopback(parsed);
  return parsed.protocol === 'https:' && isSalesforceHost(parsed.hostname);
}

/**
 * An instance URL a person could choose to trust (https, or http on loopback: a local sandbox),
 * as the host[:port] extraInstanceHosts holds and its origin; null for anything else.
 */
export function trustableInstance(url: string): { host: string; origin: string } | null {
  const parsed = withoutCredentials(url);
  return parsed && secureOrLoopback(parsed) ? { host: parsed.host, origin: parsed.origin } : null;
}
