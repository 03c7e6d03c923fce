/**
 * One keep-alive run for one connection, by mode. Decides the new state, what to record, and when
 * to run next. Failure classes come from the clients' taxonomy: transient or not understood →
 * retry with backoff; Salesforce's own terminal answers → the user must re-authorize (no retry);
 * SERVICE_UNAUTHORIZED → a global problem; application 404 → "deleted in Data2CRM".
 * One rule for pending pushes in every mode: credentials in the keychain that Data2CRM has not
 * received are pushed (with backoff) until accepted, and a token known to be expired is never
 * pushed: it is refreshed first where we can.
 */
import type { InternalTokens, SignInFailure } from '../auth/sign-in.js';
import { applicationInput } from '../connections/application-input.js';
import type { SecretVault } from '../connections/secret-vault.js';
import type { Data2CrmClient } from '../data2crm/client.js';
import { isTransient, retryAfterOf, type ApiFailure } from '../http/api-failure.js';
import type { Result } from '../result.js';
import type { SalesforceOAuthClient } from '../salesforce/oauth-client.js';
import type { ConnectionSecrets } from '../secrets/connection-secrets.js';
import type { ConnectionRecord, ConnectionStatus, RefreshSettings } from '../settings/schema.js';
import type { JobOutcome, JobReason } from './scheduler.js';
import { estimatedExpiry, learnLifetime, lifetimeFromObservedAge, minRefreshGapMs } from './token-lifetime.js';

export interface CheckContext {
  readonly now: () => number;
  readonly refresh: RefreshSettings;
  readonly vault: SecretVault;
  readonly data2crm: Data2CrmClient;
  /** The connection's own connected app (external mode). */
  readonly oauthFor: (record: ConnectionRecord, clientSecret: string | undefined) => SalesforceOAuthClient;
  /** Internal mode: the sign-in again, hidden, with the connection's saved browser session. */
  readonly silentReauthorize: (record: ConnectionRecord) => Promise<Result<InternalTokens, SignInFailure>>;
  /** The storm guard: when a refresh of this connection is allowed again (wall ms), or null if now. */
  readonly refreshBlockedUntil?: (record: ConnectionRecord) => number | null;
}

export interface CheckResult {
  readonly status: ConnectionStatus;
  readonly detail: string | null;
  readonly patch: Partial<ConnectionRecord>;
  readonly outcome: JobOutcome;
  /** Data2CRM rejected our user key: stop all refreshes until the user fixes it. */
  readonly serviceKeyRejected?: boolean;
  /** A refresh was due by the plan but the storm guard refused it. */
  readonly refreshBlocked?: boolean;
}

const NEVER: JobOutcome = { kind: 'done', nextDueAt: null };
const MISSING_SECRETS = 'The keychain entry of this connection is missing or unreadable. Re-authorize to store new tokens.';

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

/** A failure that happened after new credentials were stored: their bookkeeping is kept. */
function failedAfter(record: ConnectionRecord, failure: ApiFailure, what: string, patch: Partial<ConnectionRecord>): CheckResult {
  const failed = failureResult(record, failure, what);
  return { ...failed, patch: { ...patch, ...failed.patch, pushPending: true } };
}

function healthy(ctx: CheckContext, patch: Partial<ConnectionRecord>, nextDueAt: number): CheckResult {
  return { status: 'healthy', detail: null, patch: { ...patch, lastVerifiedAt: ctx.now(), consecutiveFailures: 0 }, outcome: { kind: 'done', nextDueAt } };
}

const needsUser = (detail: string): CheckResult => ({ status: 'needs-reauthorization', detail, patch: { consecutiveFailures: 0 }, outcome: NEVER });

/** Sends the given credentials to Data2CRM (also the resumption of a failed push). */
async function push(record: ConnectionRecord, ctx: CheckContext, secrets: Pick<ConnectionSecrets, 'accessToken' | 'refreshToken'>, patch: Partial<ConnectionRecord>, nextDueAt: (r: ConnectionRecord) => number): Promise<CheckResult> {
  const pushed = await ctx.data2crm.updateApplication(record.applicationKey!, applicationInput(record, secrets, record.instanceUrl));
  if (!pushed.ok) return failedAfter(record, pushed.error, 'Updating Data2CRM', patch);
  return healthy(ctx, { ...patch, pushPending: false }, nextDueAt({ ...record, ...patch }));
}

async function checkInternal(record: ConnectionRecord, ctx: CheckContext): Promise<CheckResult> {
  const next = () => ctx.now() + ctx.refresh.internalIntervalMs;
  if (record.pushPending) {
    // Data2CRM refreshes internal tokens itself: the stored pair is pushed as it is.
    const secrets = ctx.vault.secretsOf(record.id);
    if (!secrets) return needsUser(MISSING_SECRETS);
    return push(record, ctx, secrets, {}, next);
  }
  const health = await ctx.data2crm.checkHealth(record.applicationKey!);
  if (health.ok) return healthy(ctx, {}, next());
  if (health.error.kind !== 'credentials-rejected') return failureResult(record, health.error, 'Verification');
  // Data2CRM can no longer refresh: try the sign-in again without the user (saved session).
  const signIn = await ctx.silentReauthorize(record);
  if (!signIn.ok) return needsUser('Salesforce no longer accepts this connection, and signing in again needs you.');
  const tokens = signIn.value;
  await ctx.vault.save(record.id, { ...(ctx.vault.secretsOf(record.id) ?? {}), accessToken: tokens.accessToken, refreshToken: tokens.refreshToken });
  const stored: Partial<ConnectionRecord> = { lastRefreshedAt: ctx.now(), tokenReceivedAt: ctx.now(), instanceUrl: tokens.instanceUrl, pushPending: true };
  return push({ ...record, instanceUrl: tokens.instanceUrl }, ctx, tokens, stored, next);
}

/** When an external connection runs next after this run (the scheduling bench plans with it too). */
export function nextExternalRun(record: ConnectionRecord, ctx: Pick<CheckContext, 'now' | 'refresh' | 'refreshBlockedUntil'>): number {
  const verifyAt = ctx.now() + ctx.refresh.verifyIntervalMs;
  const expiry = estimatedExpiry(record, ctx.refresh);
  const planned = expiry === null ? verifyAt : Math.min(verifyAt, expiry - ctx.refresh.skewMs);
  // Never plan a refresh the storm guard would refuse, the one just made included (the guard
  // learns of it only when this run ends). The scheduler's jitter may bring a run up to jitterMs
  // early, so a held-back one is planned that much after the guard opens (else it verifies again,
  // once a second, until the guard lets it through).
  const refreshedAt = record.lastRefreshedAt === null ? null : Math.min(record.lastRefreshedAt, ctx.now());
  const opens = Math.max(ctx.refreshBlockedUntil?.(record) ?? -Infinity, refreshedAt === null ? -Infinity : refreshedAt + minRefreshGapMs(record, ctx.refresh));
  return opens <= planned ? planned : Math.ceil(opens) + ctx.refresh.jitterMs;
}

/** Refresh with the refresh token; store a rotated one before anything else; then push. */
async function refreshExternal(record: ConnectionRecord, ctx: CheckContext): Promise<CheckResult> {
  const secrets = ctx.vault.secretsOf(record.id);
  if (!secrets) return needsUser(MISSING_SECRETS);
  if (!secrets.refreshToken || !record.connectedApp) return needsUser('No refresh token is stored for this connection; sign in again.');
  const oauth = ctx.oauthFor(record, secrets.clientSecret);
  const tokens = await oauth.refresh(secrets.refreshToken);
  if (!tokens.ok) {
    if (tokens.error.kind === 'invalid-request') return needsUser(tokens.error.message);
    return failureResult(record, tokens.error, 'Token refresh');
  }
  // Our clock, at the moment we have the token: its age is measured from here.
  const receivedAt = ctx.now();
  const fresh = { ...secrets, accessToken: tokens.value.accessToken, ...(tokens.value.refreshToken ? { refreshToken: tokens.value.refreshToken } : {}) };
  // Rotation kills the old refresh token at once: the new pair is in the keychain before it is
  // used. A plain refresh writes nothing there (the access token lives in memory and at Data2CRM).
  await ctx.vault.refreshed(record.id, fresh);
  // Learn the org's real lifetime once (one introspection), not on every refresh.
  const learnedLifetimeMs = record.learnedLifetimeMs ?? (await learnLifetime(oauth, tokens.value.accessToken, tokens.value.issuedAt, secrets.clientSecret));
  const refreshed: Partial<ConnectionRecord> = { tokenIssuedAt: tokens.value.issuedAt, tokenReceivedAt: receivedAt, learnedLifetimeMs, lastRefreshedAt: receivedAt, pushPending: true };
  return push({ ...record, ...refreshed }, ctx, fresh, refreshed, (r) => nextExternalRun(r, ctx));
}

const isExpired = (record: ConnectionRecord, ctx: CheckContext) => {
  const expiry = estimatedExpiry(record, ctx.refresh);
  return expiry === null || ctx.now() >= expiry;
};

async function checkExternal(record: ConnectionRecord, ctx: CheckContext, reason: JobReason): Promise<CheckResult> {
  const expiry = estimatedExpiry(record, ctx.refresh);
  // The scheduler may run up to jitterMs early: that whole window counts as "due for refresh".
  const due = reason === 'manual' || expiry === null || ctx.now() >= expiry - ctx.refresh.skewMs - ctx.refresh.jitterMs;
  const blockedUntil = ctx.refreshBlockedUntil?.(record) ?? null;
  if (record.pushPending && (!isExpired(record, ctx) || blockedUntil !== null)) {
    const secrets = ctx.vault.secretsOf(record.id);
    if (!secrets) return needsUser(MISSING_SECRETS);
    return push(record, ctx, secrets, {}, (r) => nextExternalRun(r, ctx));
  }
  // Without a client secret the lifetime is only learned by finding tokens dead: a scheduled
  // refresh looks first, so a lifetime learned too long is corrected at the next refresh.
  const looksFirst = reason === 'scheduled' && record.tokenReceivedAt !== null && !ctx.vault.secretsOf(record.id)?.clientSecret;
  // The user's own "Refresh now" is not a plan: the guard does not refuse it.
  if (reason === 'manual' || (due && blockedUntil === null && !looksFirst)) return refreshExternal(record, ctx);
  const health = await ctx.data2crm.checkHealth(record.applicationKey!);
  if (health.ok && due && blockedUntil === null) return refreshExternal(record, ctx);
  if (health.ok) return { ...healthy(ctx, {}, nextExternalRun(record, ctx)), ...(due ? { refreshBlocked: true } : {}) };
  if (health.error.kind !== 'credentials-rejected') return failureResult(record, health.error, 'Verification');
  // Data2CRM says the token is dead before we expected: learn the lifetime from its age (or by
  // introspection, when the secret allows), refresh once, then check once more.
  const diedEarly = expiry !== null && record.tokenReceivedAt !== null && ctx.now() < expiry;
  const observed = diedEarly ? lifetimeFromObservedAge(ctx.now() - record.tokenReceivedAt!) : null;
  const learned = ctx.vault.secretsOf(record.id)?.clientSecret ? null : (observed ?? record.learnedLifetimeMs);
  const refreshed = await refreshExternal({ ...record, learnedLifetimeMs: learned }, ctx);
  if (refreshed.status !== 'healthy') return refreshed;
  const again = await ctx.data2crm.checkHealth(record.applicationKey!);
  if (again.ok) return refreshed;
  const failed = failureResult(record, again.error, 'Verification after refresh');
  return { ...failed, patch: { ...refreshed.patch, ...failed.patch } };
}

async function checkManual(record: ConnectionRecord, ctx: CheckContext): Promise<CheckResult> {
  const next = () => ctx.now() + ctx.refresh.verifyIntervalMs;
  if (record.pushPending) {
    const secrets = ctx.vault.secretsOf(record.id);
    if (!secrets) return needsUser(MISSING_SECRETS);
    // Pasted tokens cannot be refreshed here: an expired one is not pushed, the user pastes new ones.
    const expiry = estimatedExpiry(record, ctx.refresh);
    if (expiry !== null && ctx.now() >= expiry) return needsUser('The pasted access token has expired before Data2CRM received it. Paste new tokens.');
    return push(record, ctx, secrets, {}, next);
  }
  const health = await ctx.data2crm.checkHealth(record.applicationKey!);
  if (health.ok) return healthy(ctx, {}, next());
  if (health.error.kind === 'credentials-rejected') return needsUser('The pasted access token no longer works. Paste new tokens.');
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
