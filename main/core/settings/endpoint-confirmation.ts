/**
 * Where secrets may go. Changing the Data2CRM API or sign-in address, the Salesforce login host
 * (settings or a connection's own), or the extra instance hosts to a host that is neither the
 * current one nor a default needs the user's yes in a main-process dialog (the ConfirmEndpoints
 * port) before it is saved, so before anything is sent there. The renderer can ask, never decide.
 * Every path that changes where the app talks to calls `approve` first.
 */
import type { ConfirmEndpoints, EndpointChange } from '../ports.js';
import { err, ok, type Result } from '../result.js';
import { isLoopbackHost, isSalesforceHost } from '../salesforce/hosts.js';
import { DEFAULT_ENDPOINTS, LOGIN_HOST_PRESETS, loginBaseUrl, originOf } from './endpoints.js';
import type { Settings } from './schema.js';

export type Endpoints = Settings['endpoints'];

/** What a change would set; absent parts stay as they are. Base URLs already validated. */
export interface EndpointTarget {
  readonly endpoints?: Partial<Endpoints>;
  readonly extraInstanceHosts?: readonly string[];
  /** A connection's own login host (the connect wizard's "own connected app"). */
  readonly connectionLoginHost?: string;
}

const loginOrigin = (host: string): string | null => {
  const base = loginBaseUrl(host);
  return base.ok ? originOf(base.value) : null;
};

/** https on Salesforce's own domains: Salesforce owns every such host, so it needs no question. */
const isSalesforceOrigin = (origin: string) => origin.startsWith('https://') && isSalesforceHost(new URL(origin).hostname);

const DEFAULT_ORIGINS = {
  api: originOf(DEFAULT_ENDPOINTS.data2crmApiBase),
  auth: originOf(DEFAULT_ENDPOINTS.data2crmAuthBase),
  login: [LOGIN_HOST_PRESETS.production, LOGIN_HOST_PRESETS.sandbox].map(loginOrigin),
};

function change(setting: EndpointChange['setting'], url: string): EndpointChange {
  return { setting, host: new URL(url).host, url };
}

/** The parts of `target` that point somewhere new that is not a default: each needs the user's yes. */
export function unconfirmedChanges(current: Settings, target: EndpointTarget): EndpointChange[] {
  const changes: EndpointChange[] = [];
  const { endpoints = {} } = target;
  if (endpoints.data2crmApiBase !== undefined) {
    const next = originOf(endpoints.data2crmApiBase);
    if (next && next !== originOf(current.endpoints.data2crmApiBase) && next !== DEFAULT_ORIGINS.api) changes.push(change('Data2CRM API', endpoints.data2crmApiBase));
  }
  if (endpoints.data2crmAuthBase !== undefined) {
    const next = originOf(endpoints.data2crmAuthBase);
    if (next && next !== originOf(current.endpoints.data2crmAuthBase) && next !== DEFAULT_ORIGINS.auth) changes.push(change('Data2CRM sign-in', endpoints.data2crmAuthBase));
  }
  const trustedLogin = [loginOrigin(current.endpoints.salesforceLoginHost), ...DEFAULT_ORIGINS.login];
  for (const host of [endpoints.salesforceLoginHost, target.connectionLoginHost]) {
    if (host === undefined) continue;
    const next = loginOrigin(host);
    if (next && !trustedLogin.includes(next) && !isSalesforceOrigin(next) && !changes.some((c) => c.setting === 'Salesforce login' && originOf(c.url) === next)) changes.push(change('Salesforce login', next));
  }
  for (const host of target.extraInstanceHosts ?? []) {
    // A loopback host (the sandbox) is reached over http: the question names the address as it is used.
    if (!current.extraInstanceHosts.includes(host)) changes.push({ setting: 'Salesforce instance', host, url: `${isLoopbackHost(host.replace(/:\d+$/, '')) ? 'http' : 'https'}://${host}` });
  }
  return changes;
}

/** How long a declined change is refused without asking again (a window must not nag with dialogs). */
export const DECLINED_QUIET_MS = 60_000;

const hostsOf = (changes: readonly EndpointChange[]) => [...new Set(changes.map((c) => c.host))].join(', ');
/** A change is its setting and origin: a window varying the path (/v1, /v2 …) asks for the same place again. */
const keyOf = (changes: readonly EndpointChange[]) => JSON.stringify(changes.map((c) => `${c.setting} ${originOf(c.url) ?? c.host}`).sort());

export function createEndpointConfirmation(confirm: ConfirmEndpoints, settings: () => Settings, now: () => number = Date.now) {
  let asking = false;
  /** Changes the user said no to, and when: the same request is refused quietly for a minute. */
  const declined = new Map<string, number>();
  return {
    /** ok when nothing new needs asking or the user said yes; otherwise why nothing was changed. */
    async approve(target: EndpointTarget): Promise<Result<void, string>> {
      const changes = unconfirmedChanges(settings(), target);
      if (changes.length === 0) return ok(undefined);
      if (asking) return err('Another address change is waiting for your answer. Nothing was changed.');
      const key = keyOf(changes);
      // Refusals past their minute (or from a clock set back) go, so a window naming a new host each time cannot grow the map.
      for (const [declinedKey, when] of declined) if (now() - when >= DECLINED_QUIET_MS || now() < when) declined.delete(declinedKey);
      if (declined.has(key)) return err(`Not changed: you declined ${hostsOf(changes)} less than a minute ago, so the app did not ask again. Nothing was sent there.`);
      asking = true;
      try {
        if (await confirm(changes)) return ok(undefined);
      } catch {
        // A dialog that fails is not a yes.
      } finally {
        asking = false;
      }
      declined.set(key, now());
      return err(`Not changed: you did not confirm the new address${changes.length > 1 ? 'es' : ''} (${hostsOf(changes)}). Nothing was sent there.`);
    },
  };
}

export type EndpointConfirmation = ReturnType<typeof createEndpointConfirmation>;
