/** What each keep-alive check works with, built from the current settings on every run. */
import type { AuthBrowser, RedirectListener } from '../ports.js';
import { createServiceClients, type ServiceClientDeps } from '../service-clients.js';
import type { CheckContext } from './check-connection.js';
import { createSilentReauthorizer } from './silent-reauthorize.js';

export function createCheckContextSource(
  deps: ServiceClientDeps & { readonly listener: RedirectListener; readonly appWindow: AuthBrowser; readonly silentSignInTimeoutMs?: number | undefined },
): () => Omit<CheckContext, 'now' | 'refresh'> {
  const { settings, vault, clock } = deps;
  const clients = createServiceClients(deps);
  const silentReauthorize = createSilentReauthorizer(
    () => ({ listener: deps.listener, browser: deps.appWindow, clock, extraInstanceHosts: settings.get().extraInstanceHosts, authBase: settings.get().endpoints.data2crmAuthBase }),
    deps.silentSignInTimeoutMs,
  );
  return () => ({ vault, data2crm: clients.data2crm(), oauthFor: clients.oauthFor, silentReauthorize });
}
