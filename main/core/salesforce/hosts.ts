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

/**
 * An instance or identity URL we may send a token to: https on a Salesforce host, or one of the
 * explicitly configured extra hosts (the sandbox), where loopback may use http.
 */
export function isTrustedSalesforceUrl(url: string, extraHosts: readonly string[] = []): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.username || parsed.password) return false;
  if (extraHosts.includes(parsed.host)) return parsed.protocol === 'https:' || (parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname));
  return parsed.protocol === 'https:' && isSalesforceHost(parsed.hostname);
}

/**
 * An instance URL a person could choose to trust (https, or http on loopback: a local sandbox),
 * as the host[:port] extraInstanceHosts holds and its origin; null for anything else.
 */
export function trustableInstance(url: string): { host: string; origin: string } | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.username || parsed.password) return null;
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname))) return null;
  return { host: parsed.host, origin: parsed.origin };
}
