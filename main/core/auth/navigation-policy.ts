/**
 * Where the embedded sign-in window may go (reliability case 7): the redirect is captured, https
 * pages on Salesforce's domains and on the configured sign-in hosts load, everything else is
 * blocked: other schemes (javascript:, data:, file:, custom), plain http, unknown hosts. The
 * app-link and https callbacks are caught, never loaded: one that is not the pending sign-in's
 * genuine redirect is blocked even where its host would load. People
 * whose company signs in through another identity provider choose the system browser instead.
 */
import { isLoopbackHost, isSalesforceHost } from '../salesforce/hosts.js';
import { loginBaseUrl } from '../settings/endpoints.js';
import type { Settings } from '../settings/schema.js';
import { CALLBACK_KINDS, callbackUrlOf } from '../../../shared/callback-urls.js';
import { isRedirectTo } from './redirect.js';

export type NavigationDecision = 'capture' | 'allow' | 'block';

export function authNavigationDecision(url: string, options: { redirectUri?: string; signInOrigins: readonly string[] }): NavigationDecision {
  if (options.redirectUri && isRedirectTo(url, options.redirectUri)) return 'capture';
  if (isCaughtCallback(url)) return 'block';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'block';
  }
  if (parsed.username || parsed.password) return 'block';
  const origins = new Set(options.signInOrigins.map((o) => safeOrigin(o)).filter(Boolean));
  if (origins.has(parsed.origin) && (parsed.protocol === 'https:' || (parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname)))) return 'allow';
  if (parsed.protocol === 'https:' && isSalesforceHost(parsed.hostname)) return 'allow';
  return 'block';
}

/** The callbacks only the sign-in window catches (app link, https): never a page to load. */
function isCaughtCallback(url: string): boolean {
  return CALLBACK_KINDS.some((kind) => kind !== 'loopback' && isRedirectTo(url, callbackUrlOf(kind, 0)));
}

function safeOrigin(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/**
 * The embedded sign-in window's rule under the current settings: the Data2CRM auth host, the
 * Salesforce login host and the extra (sandbox) hosts, besides Salesforce's own domains. The
 * window captures the redirect itself, so here a URL is only allowed or blocked.
 */
export function authWindowNavigation(settings: () => Settings): (url: string) => 'allow' | 'block' {
  return (url) => {
    const { endpoints, extraInstanceHosts } = settings();
    const login = loginBaseUrl(endpoints.salesforceLoginHost);
    const signInOrigins = [endpoints.data2crmAuthBase, ...(login.ok ? [login.value] : []), ...extraInstanceHosts.flatMap((h) => [`https://${h}`, `http://${h}`])];
    return authNavigationDecision(url, { signInOrigins }) === 'block' ? 'block' : 'allow';
  };
}
