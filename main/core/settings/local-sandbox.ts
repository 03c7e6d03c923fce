/**
 * "Use a local sandbox": the one address `npm run sandbox` prints → every service address and the
 * trusted instance host, in one change. The sandbox serves Data2CRM.API under /v1 and Data2CRM's
 * sign-in, Salesforce's login and its instances at its origin, so all of them follow from it.
 * Only loopback addresses are accepted: the sandbox listens on loopback and http is safe only there.
 */
import { err, ok, type Result } from '../result.js';
import { isLoopbackHost } from '../salesforce/hosts.js';
import { hostOf, loginBaseUrl } from './endpoints.js';
import type { Settings } from './schema.js';

const EXAMPLE = 'Enter the address that “npm run sandbox” prints, for example http://127.0.0.1:4517.';

export interface LocalSandbox {
  readonly origin: string;
  readonly endpoints: Settings['endpoints'];
  /**
   * The sandbox's instance host under both loopback names (127.0.0.1 and localhost, same port),
   * trusted like a Salesforce domain (instance and identity URLs): one listener, so an org the
   * sandbox "moves" to its other name is still the sandbox.
   */
  readonly instanceHosts: readonly string[];
}

/** The host under the other loopback name (an IPv6 literal has none). */
function loopbackTwin(url: URL): string | null {
  if (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost') return null;
  return `${url.hostname === 'localhost' ? '127.0.0.1' : 'localhost'}${url.port ? `:${url.port}` : ''}`;
}

export function localSandboxFrom(address: string): Result<LocalSandbox, string> {
  const input = address.trim();
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(input) ? input : `http://${input}`);
  } catch {
    return err(EXAMPLE);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return err(EXAMPLE);
  if (!isLoopbackHost(url.hostname)) return err(`The sandbox runs on this computer only: use 127.0.0.1 or localhost, not ${url.hostname}.`);
  if (url.username || url.password || url.search || url.hash || url.pathname !== '/') return err(`Use the sandbox's address alone (${url.origin}), without a path, query or fragment.`);
  const twin = loopbackTwin(url);
  return ok({ origin: url.origin, endpoints: { data2crmApiBase: `${url.origin}/v1`, data2crmAuthBase: url.origin, salesforceLoginHost: url.origin }, instanceHosts: twin ? [url.host, twin] : [url.host] });
}

/** The settings pointed at the sandbox; connections and every other choice stay as they are. */
export function withLocalSandbox(settings: Settings, sandbox: LocalSandbox): Settings {
  return { ...settings, endpoints: { ...sandbox.endpoints }, extraInstanceHosts: [...sandbox.instanceHosts] };
}

/** The hosts the three service addresses point at, with a loopback host's twin ("Use this sandbox" trusts both). */
function endpointHosts(endpoints: Settings['endpoints']): Set<string | null> {
  const login = loginBaseUrl(endpoints.salesforceLoginHost);
  const hosts = [hostOf(endpoints.data2crmApiBase), hostOf(endpoints.data2crmAuthBase), login.ok ? hostOf(login.value) : null];
  const twins = hosts.map((host) => (host === null ? null : loopbackTwin(new URL(`http://${host}`))));
  return new Set([...hosts, ...twins]);
}

/**
 * The trusted instance hosts after the service addresses change: a host trusted because an old
 * address pointed there (the sandbox's) goes when no new address does; hosts trusted on their
 * own stay. Back to the defaults from the sandbox, its host is trusted no more.
 */
export function instanceHostsAfter(hosts: readonly string[], before: Settings['endpoints'], after: Settings['endpoints']): string[] {
  const old = endpointHosts(before);
  const now = endpointHosts(after);
  return hosts.filter((host) => !old.has(host) || now.has(host));
}
