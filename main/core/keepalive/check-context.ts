/** What each keep-alive check works with, built from the current settings on every run. */
import { endedByNewApproval } from '../connections/approval-limit.js';
import type { AuthBrowser, RedirectListener } from '../ports.js';
import { err } from '../result.js';
import { isTrustedSalesforceUrl } from '../salesforce/hosts.js';
import { createServiceClients, type ServiceClientDeps } from '../service-clients.js';
import type { CheckContext } from './check-connection.js';
import { createSilentReauthorizer } from './silent-reauthorize.js';

export function createCheckContextSource(
  deps: ServiceClientDeps & { readonly listener: RedirectListener; readonly appWindow: AuthBrowser; readonly silentSignInTimeoutMs?: number | undefined },
): () => Omit<CheckContext, 'now' | 'refresh'> {
  const { settings, vault, clock } = deps;
  const clients = createServiceClients(deps);
  const signInSilently = createSilentReauthorizer(
    () => ({ listener: deps.listener, browser: deps.appWindow, clock, extraInstanceHosts: settings.get().extraInstanceHosts, authBase: settings.get().endpoints.data2crmAuthBase }),
    deps.silentSignInTimeoutMs,
  );
  // With five other sign-ins of this user through Data2CRM's app, a silent one would end the oldest
  // of them (which would then do the same to the next): only the user decides that.
  const silentReauthorize: CheckContext['silentReauthorize'] = (record) =>
    endedByNewApproval(settings.get().connections, record).length > 0 ? Promise.resolve(err({ kind: 'rejected', message: 'Signing in again would end another connection of this user (Salesforce keeps 5 per app).' })) : signInSilently(record);
  // A new instance URL from a token answer passes the host rules of a connect.
  const trustsInstance = (url: string) => isTrustedSalesforceUrl(url, settings.get().extraInstanceHosts);
  return () => ({ vault, data2crm: clients.data2crm(), oauthFor: clients.oauthFor, silentReauthorize, trustsInstance });
}
