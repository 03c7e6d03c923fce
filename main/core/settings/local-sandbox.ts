/**
 * "Use a local sandbox": the one address `npm run sandbox` prints → every service address and the
 * trusted instance host, in one change. The sandbox serves Data2CRM.API under /v1 and Data2CRM's
 * sign-in, Salesforce's login and its instances at its origin, so all of them follow from it.
 * Only loopback addresses are accepted: the sandbox listens on loopback and http is safe only there.
 */
import { err, ok, type Result } from '../result.js';
import { isLoopbackHost } from '../salesforce/hosts.js';
import type { Settings } from './schema.js';

const EXAMPLE = 'Enter the address that “npm run sandbox” prints, for example http://127.0.0.1:4517.';

export interface LocalSandbox {
  readonly origin: string;
  readonly endpoints: Settings['endpoints'];
  /** The sandbox's instance host, trusted like a Salesforce domain (instance URLs, identity URLs). */
  readonly instanceHost: string;
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
  return ok({ origin: url.origin, endpoints: { data2crmApiBase: `${url.origin}/v1`, data2crmAuthBase: url.origin, salesforceLoginHost: url.origin }, instanceHost: url.host });
}

/** The settings pointed at the sandbox; connections and every other choice stay as they are. */
export function withLocalSandbox(settings: Settings, sandbox: LocalSandbox): Settings {
  return { ...settings, endpoints: { ...sandbox.endpoints }, extraInstanceHosts: [sandbox.instanceHost] };
}
