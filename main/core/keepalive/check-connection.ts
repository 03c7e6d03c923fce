/**
 * One keep-alive run for one connection, by mode. Decides the new state, what to record, and when
 * to run next. Failure classes come from the clients' taxonomy: transient → retry with backoff;
 * invalid_grant and the like → the user must re-authorize (no retry); SERVICE_UNAUTHORIZED → a
 * global problem; application 404 → "deleted in Data2CRM".
 */
import type { InternalTokens, SignInFailure } from '../auth/sign-in.js';
import { applicationInput } from '../connections/application-input.js';
import type { SecretVault } from '../connections/secret-vault.js';
import type { Data2CrmClient } from '../data2crm/client.js';
import { isTransient, retryAfterOf, type ApiFailure } from '../http/api-failure.js';
import type { Result } from '../result.js';
import type { SalesforceOAuthClient } from '../salesforce/oauth-client.js';
import type { ConnectionRecord, ConnectionStatus, RefreshSettings } from '../settings/schema.js';
import type { JobOutcome, JobReason } from './scheduler.js';

export interface CheckContext {
  readonly now: () => number;
  readonly refresh: RefreshSettings;
  readonly vault: SecretVault;
  readonly data2crm: Data2CrmClient;
  /** The connection's own connected app (external mode). */
  readonly oauthFor: (record: ConnectionRecord, clientSecret: string | undefined) => SalesforceOAuthClient;
  /** Internal mode: the sign-in again, hidden, with the connection's saved browser session. */
  readonly silentReauthorize: (record: ConnectionRecord) => Promise<Result<InternalTokens, SignInFailure>>;
}

export interface CheckResult {
  readonly status: ConnectionStatus;
  readonly detail: string | null;
  readonly patch: Partial<ConnectionRecord>;
  readonly outcome: JobOutcome;
  /** Data2CRM rejected our user key: stop all refreshes until the user fixes it. */
  readonly serviceKeyRejected?: boolean;
}

const NEVER: JobOutcome = { kind: 'done', nextDueAt: null };

/**
 * The access-token expiry of an external connection: the server's issue time plus the lifetime
 * learned by introspection, or the configured session lifetime when none was learned.
 */
export function estimatedExpiry(record: Pick<ConnectionRecord, 'tokenIssuedAt' | 'learnedLifetimeMs'>, refresh: RefreshSettings): number | null {
  return record.tokenIssuedAt === null ? null : record.tokenIssuedAt + (record.learnedLifetimeMs ?? refresh.sessionLifetimeMs);
}

function failureResult(record: ConnectionRecord, failure: ApiFailure, what: string): CheckResult {
  if (failure.kind === 'service-key-rejected') return { status: record.status, detail: failure.message, patch: {}, outcome: NEVER, serviceKeyRejected: true };
  if (failure.kind === 'not-found') return { status: 'application-deleted', detail: 'The application was deleted in Data2CRM. Register it again with the stored tokens, or disconnect.', patch: { consecutiveFailures: 0 }, outcome: NEVER };
  if (isTransient(failure)) {
    return { status: 'retrying', detail: `${what} failed, retrying: ${failure.message}`, patch: { consecutiveFailures: record.consecutiveFailures + 1 }, outcome: { kind: 'retry', retryAfterMs: retryAfterOf(failure) } };
  }
  if (failure.kind === 'credentials-rejected') return { status: 'needs-reauthorization', detail: failure.message, patch: { consecutiveFailures: 0 }, outcome: NEVER };
  // A refused request or an answer we do not understand: not the user's to fix yet; retry slowly.
  return { status: 'degraded', detail: `${what} failed: ${failure.message}`, patch: { consecutiveFailures: record.consecutiveFailures + 1 }, outcome: { kind: 'retry', retryAfterMs: null } };
}

function healthy(ctx: CheckContext, patch: Partial<ConnectionRecord>, nextDueAt: number): CheckResult {
  return { status: 'healthy', detail: null, patch: { ...patch, lastVerifiedAt: ctx.now(), consecutiveFailures: 0 }, outcome: { kind: 'done', nextDueAt } };
}

async function checkInternal(record: ConnectionRecord, ctx: CheckContext): Promise<CheckResult> {
  const next = ctx.now() + ctx.refresh.internalIntervalMs;
  const health = await ctx.data2crm.checkHealth(record.applicationKey!);
  if (health.ok) return healthy(ctx, {}, next);
  if (health.error.kind !== 'credentials-rejected') return failureResult(record, health.error, 'Verification');
  // Data2CRM can no longer refresh: try the sign-in again without the user (saved session).
  const signIn = await ctx.silentReauthorize(record);
  if (!signIn.ok) return { status: 'needs-reauthorization', detail: 'Salesforce no longer accepts this connection, and signing in again needs you.', patch: { consecutiveFailures: 0 }, outcome: NEVER };
  const tokens = signIn.value;
  await ctx.vault.save(record.id, { ...(ctx.vault.secretsOf(record.id) ?? {}), accessToken: tokens.accessToken, refreshToken: tokens.refreshToken });
  const pushed = await ctx.data2crm.updateApplication(record.applicationKey!, applicationInput(record, tokens, tokens.instanceUrl));
  if (!pushed.ok) return { ...failureResult(record, pushed.error, 'Updating Data2CRM'), patch: { pushPending: true, consecutiveFailures: record.consecutiveFailures + 1 } };
  return healthy(ctx, { lastRefreshedAt: ctx.now(), pushPending: false, instanceUrl: tokens.instanceUrl }, next);
}

/** Refresh with the refresh token; store a rotated one before anything else; then push. */
async function refreshExternal(record: ConnectionRecord, ctx: CheckContext): Promise<CheckResult> {
  const secrets = ctx.vault.secretsOf(record.id);
  if (!secrets?.refreshToken || !record.connectedApp) return { status: 'needs-reauthorization', detail: 'No refresh token is stored for this connection; sign in again.', patch: {}, outcome: NEVER };
  const tokens = await ctx.oauthFor(record, secrets.clientSecret).refresh(secrets.refreshToken);
  if (!tokens.ok) {
    if (tokens.error.kind === 'invalid-request') return { status: 'needs-reauthorization', detail: tokens.error.message, patch: {}, outcome: NEVER };
    return failureResult(record, tokens.error, 'Token refresh');
  }
  // Rotation kills the old refresh token at once: the new pair is in the keychain before it is used.
  await ctx.vault.save(record.id, { ...secrets, accessToken: tokens.value.accessToken, ...(tokens.value.refreshToken ? { refreshToken: tokens.value.refreshToken } : {}) });
  // Learn the org's real lifetime once (one introspection), not on every refresh.
  const learnedLifetimeMs = record.learnedLifetimeMs ?? (await learnLifetime(ctx.oauthFor(record, secrets.clientSecret), tokens.value.accessToken, tokens.value.issuedAt, secrets.clientSecret));
  const refreshed: Partial<ConnectionRecord> = { tokenIssuedAt: tokens.value.issuedAt, learnedLifetimeMs, lastRefreshedAt: ctx.now(), pushPending: true };
  return push({ ...record, ...refreshed }, ctx, refreshed);
}

/** The token's real lifetime, when the connected app's secret lets us ask; null otherwise. */
export async function learnLifetime(oauth: SalesforceOAuthClient, accessToken: string, issuedAt: number, clientSecret: string | undefined): Promise<number | null> {
  if (!clientSecret) return null;
  const info = await oauth.introspect(accessToken);
  const lifetime = info.ok && info.value.active && info.value.expiresAt !== null ? info.value.expiresAt - issuedAt : null;
  return lifetime !== null && lifetime > 60_000 ? Math.round(lifetime) : null;
}

/** Sends the keychain's current access token to Data2CRM (also the resumption of a failed push). */
async function push(record: ConnectionRecord, ctx: CheckContext, patch: Partial<ConnectionRecord>): Promise<CheckResult> {
  const pushed = await ctx.data2crm.updateApplication(record.applicationKey!, applicationInput(record, ctx.vault.secretsOf(record.id)!, record.instanceUrl));
  if (!pushed.ok) {
    const failed = failureResult(record, pushed.error, 'Updating Data2CRM');
    return { ...failed, patch: { ...patch, ...failed.patch, pushPending: true } };
  }
  return healthy(ctx, { ...patch, pushPending: false }, nextExternalRun({ ...record, ...patch }, ctx));
}

function nextExternalRun(record: ConnectionRecord, ctx: CheckContext): number {
  const verifyAt = ctx.now() + ctx.refresh.verifyIntervalMs;
  const expiry = estimatedExpiry(record, ctx.refresh);
  return expiry === null ? verifyAt : Math.min(verifyAt, expiry - ctx.refresh.skewMs);
}

async function checkExternal(record: ConnectionRecord, ctx: CheckContext, reason: JobReason): Promise<CheckResult> {
  if (record.pushPending) return push(record, ctx, {});
  const expiry = estimatedExpiry(record, ctx.refresh);
  // The scheduler may run up to jitterMs early: that whole window counts as "due for refresh".
  if (reason === 'manual' || expiry === null || ctx.now() >= expiry - ctx.refresh.skewMs - ctx.refresh.jitterMs) return refreshExternal(record, ctx);
  const health = await ctx.data2crm.checkHealth(record.applicationKey!);
  if (health.ok) return healthy(ctx, {}, nextExternalRun(record, ctx));
  if (health.error.kind !== 'credentials-rejected') return failureResult(record, health.error, 'Verification');
  // Data2CRM says the token is dead before we expected: one refresh (re-learning the lifetime),
  // then one retry of the check.
  const refreshed = await refreshExternal({ ...record, learnedLifetimeMs: null }, ctx);
  if (refreshed.status !== 'healthy') return refreshed;
  const again = await ctx.data2crm.checkHealth(record.applicationKey!);
  if (again.ok) return refreshed;
  return { ...failureResult(record, again.error, 'Verification after refresh'), patch: { ...refreshed.patch, ...failureResult(record, again.error, '').patch } };
}

async function checkManual(record: ConnectionRecord, ctx: CheckContext): Promise<CheckResult> {
  if (record.pushPending) return push(record, ctx, {});
  const health = await ctx.data2crm.checkHealth(record.applicationKey!);
  if (health.ok) return healthy(ctx, {}, ctx.now() + ctx.refresh.verifyIntervalMs);
  if (health.error.kind === 'credentials-rejected') return { status: 'needs-reauthorization', detail: 'The pasted access token no longer works. Paste new tokens.', patch: {}, outcome: NEVER };
  return failureResult(record, health.error, 'Verification');
}

export function checkConnection(record: ConnectionRecord, ctx: CheckContext, reason: JobReason): Promise<CheckResult> {
  switch (record.mode) {
    case 'internal':
      return checkInternal(record, ctx);
    case 'external':
      return checkExternal(record, ctx, reason);
    case 'manual':
      return checkManual(record, ctx);
  }
}
