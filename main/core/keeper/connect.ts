/**
 * Getting connections into a keeper, which has no browser: tokens pasted on stdin (with the
 * connected app's client id they are an external connection the keeper refreshes itself; without
 * one they are only verified and must be pasted again when they die), or Salesforce's device flow
 * for the user's own connected app. Afterwards as a connect from the windows: keep-alive plans the
 * connection, the activity log records how it was made.
 */
import type { ActionResult } from '../../../preload/contract.js';
import type { DeviceCodePrompt } from '../auth/device-sign-in.js';
import type { ConnectFailure, ConnectionService } from '../connections/connection-service.js';
import type { SecretVault } from '../connections/secret-vault.js';
import type { CrmType } from '../data2crm/types.js';
import type { ActivityLog } from '../keepalive/activity-log.js';
import type { KeepAlive } from '../keepalive/keep-alive.js';
import { err, ok, type Result } from '../result.js';
import type { ConnectionRecord } from '../settings/schema.js';
import type { SettingsRepository } from '../settings/settings-repository.js';

export interface KeeperConnectDeps {
  readonly connections: ConnectionService;
  readonly keepAlive: KeepAlive;
  readonly activity: ActivityLog;
  readonly vault: SecretVault;
  readonly settings: SettingsRepository;
}

export interface ConnectedApp {
  readonly clientId: string;
  readonly clientSecret?: string;
  /** Where the app signs in (default: the keeper's Salesforce login address). */
  readonly loginHost?: string;
}

/** At most this much is read from stdin: two tokens and a newline or two. */
export const MAX_PASTE_BYTES = 16 * 1024;

/** stdin: the access token on the first line, the refresh token (optional) on the second. */
export function parsePastedTokens(text: string): Result<{ accessToken: string; refreshToken?: string }, string> {
  const lines = text.split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
  if (lines.length === 0) return err('No tokens were given: put the access token on the first line of stdin and the refresh token on the second.');
  if (lines.length > 2) return err('Give two lines at most: the access token, then the refresh token.');
  return ok({ accessToken: lines[0]!, ...(lines[1] ? { refreshToken: lines[1] } : {}) });
}

const failed = (failure: ConnectFailure): ActionResult => ({ ok: false, message: failure.message });

export function createKeeperConnect(deps: KeeperConnectDeps) {
  const loginHostOf = (app: ConnectedApp) => app.loginHost ?? deps.settings.get().endpoints.salesforceLoginHost;

  function connected(record: ConnectionRecord, how: string): ActionResult {
    deps.keepAlive.track(record);
    deps.activity.record({ kind: 'connected', connectionId: record.id, label: record.label, status: record.status, detail: how });
    return { ok: true, message: `${record.label} is connected (${record.id}).` };
  }

  /** Registering the org at the end needs the user key: said before anything starts. */
  function needsUserKey(): ActionResult | null {
    return deps.vault.userKey() === null ? { ok: false, message: 'The keeper has no Data2CRM user key: give it with --user-key-file (or the user-key credential). Nothing was started.' } : null;
  }

  return {
    async addPasted(input: { label: string; crmType: CrmType; instanceUrl: string; pasted: string; app: ConnectedApp | null }): Promise<ActionResult> {
      const missing = needsUserKey();
      if (missing) return missing;
      const tokens = parsePastedTokens(input.pasted);
      if (!tokens.ok) return { ok: false, message: tokens.error };
      if (!input.app) {
        const result = await deps.connections.connectManual({ label: input.label, crmType: input.crmType, instanceUrl: input.instanceUrl, ...tokens.value });
        return result.ok ? connected(result.value, 'With pasted tokens.') : failed(result.error);
      }
      if (!tokens.value.refreshToken) return { ok: false, message: 'With --client-id the keeper refreshes the tokens itself: give the refresh token on the second line.' };
      const result = await deps.connections.connectExternalWithTokens({
        label: input.label,
        crmType: input.crmType,
        loginHost: loginHostOf(input.app),
        clientId: input.app.clientId,
        ...(input.app.clientSecret ? { clientSecret: input.app.clientSecret } : {}),
        tokens: { accessToken: tokens.value.accessToken, refreshToken: tokens.value.refreshToken, instanceUrl: input.instanceUrl, issuedAt: null },
      });
      return result.ok ? connected(result.value, 'With tokens pasted into the keeper, of your own connected app.') : failed(result.error);
    },

    async connectDevice(input: { label: string; crmType: CrmType; app: ConnectedApp }, onPrompt: (prompt: DeviceCodePrompt) => void, signal?: AbortSignal): Promise<ActionResult> {
      const missing = needsUserKey();
      if (missing) return missing;
      const result = await deps.connections.connectWithDevice(
        { label: input.label, crmType: input.crmType, loginHost: loginHostOf(input.app), clientId: input.app.clientId, ...(input.app.clientSecret ? { clientSecret: input.app.clientSecret } : {}) },
        { onPrompt, ...(signal ? { signal } : {}) },
      );
      return result.ok ? connected(result.value, 'Through Salesforce’s device flow, with your own connected app.') : failed(result.error);
    },
  };
}
