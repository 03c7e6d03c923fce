/**
 * What every connection flow shares: the services, the per-connection queue (shared with
 * keep-alive), the clients built for the current settings, and three small registries that let
 * the flows see each other: sign-ins a disconnect can cancel, connects between their keychain write
 * and their record (not orphans), and connections with a disconnect asked for.
 */
import { randomUUID } from 'node:crypto';
import { LIMITS } from '../../../preload/contract.js';
import type { AuthBrowser, Clock, HttpTransport, Logger, RedirectListener } from '../ports.js';
import { err, ok, type Result } from '../result.js';
import type { Identity } from '../salesforce/types.js';
import { fetchUserInfo } from '../salesforce/userinfo.js';
import { createServiceClients } from '../service-clients.js';
import type { SettingsRepository } from '../settings/settings-repository.js';
import type { ConnectFailure } from './connection-failures.js';
import { createConnectionQueue, type ConnectionQueue } from './connection-queue.js';
import type { SecretVault } from './secret-vault.js';

export interface ConnectionServiceDeps {
  readonly settings: SettingsRepository;
  readonly vault: SecretVault;
  readonly listener: RedirectListener;
  /** Where app-link (custom-scheme) callbacks arrive; without it that callback is unavailable. */
  readonly schemeListener?: RedirectListener;
  readonly browser: AuthBrowser;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly http?: HttpTransport;
  readonly newId?: () => string;
  /** Shared with keep-alive, so runs and user actions on one connection never overlap. */
  readonly queue?: ConnectionQueue;
  /** The state database is a newer version's: every write is refused, so no flow may reach a service first. */
  readonly readOnly?: boolean;
}

const LABEL_MAX = LIMITS.label;

export function createConnectionContext(deps: ConnectionServiceDeps) {
  const { settings, vault, clock } = deps;
  const http = deps.http;
  const extraHosts = () => settings.get().extraInstanceHosts;
  const clients = createServiceClients({ settings, vault, clock, http });

  return {
    ...deps,
    newId: deps.newId ?? (() => randomUUID()),
    queue: deps.queue ?? createConnectionQueue(),
    clients,
    data2crm: clients.data2crm,
    extraHosts,
    /** Re-authorizations signing in, so a disconnect can cancel them. */
    signIns: new Map<string, AbortController>(),
    /** Connects between their keychain write and their record: not orphans. */
    connecting: new Set<string>(),
    /** Connections with a disconnect asked for: no new sign-in starts for them. */
    leaving: new Map<string, number>(),
    signInDeps: () => ({ listener: deps.listener, ...(deps.schemeListener ? { schemeListener: deps.schemeListener } : {}), browser: deps.browser, clock, timeoutMs: settings.get().signIn.timeoutMs, extraInstanceHosts: extraHosts() }),

    checkLabel(label: string): Result<string, ConnectFailure> {
      const trimmed = label.trim();
      if (!trimmed) return err({ kind: 'invalid-input', message: 'Give the connection a name.', field: 'label' });
      if (trimmed.length > LABEL_MAX) return err({ kind: 'invalid-input', message: `Keep the name under ${LABEL_MAX} characters.`, field: 'label' });
      return ok(trimmed);
    },

    async verify(instanceUrl: string, accessToken: string): Promise<Result<Identity, ConnectFailure>> {
      const identity = await fetchUserInfo({ instanceUrl, accessToken, extraHosts: extraHosts(), ...(http ? { http } : {}) });
      return identity.ok ? identity : err({ kind: 'verify-failed', message: `Salesforce did not confirm the sign-in: ${identity.error.message}`, api: identity.error });
    },
  };
}

export type ConnectionContext = ReturnType<typeof createConnectionContext>;
