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
import { failureCode, isTransient, retryAfterOf, type ApiFailure } from '../http/api-failure.js';
import type { Result } from '../result.js';
import type { SalesforceOAuthClient } from '../salesforce/oauth-client.js';
import type { ConnectionSecrets } from '../secrets/connection-secrets.js';
import { PUSH_WAITS_FOR_KEYCHAIN } from '../secrets/storage-messages.js';
import type { ConnectionRecord, ConnectionStatus, RefreshSettings } from '../settings/schema.js';
import { externalRunPlan, type RunPlan } from './run-plan.js';
import type { JobOutcome, JobReason } from './scheduler.js';
import { estimatedExpiry, learnLifetime, lifetimeFromObservedAge, refreshWindow } from './token-lifetime.js';
import { fixWordsFor } from '../connections/new-tokens-by.js';

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
  /** An instance URL passes the host rules of a connect (Salesforce's domains, the configured extra hosts). */
  readonly trustsInstance?: (url: string) => boolean;
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
  /** Salesforce's token answer named a new instance for the org, adopted (stored, pushed): its URL. */
  readonly movedTo?: string;
  /** The failure's status or code (e.g. "server-error 503"), for the log: the detail says it in words. */
  readonly answer?: string;
}

const NEVER: JobOutcome = { kind: 'done', nextDueAt: null };
/** Salesforce refuses for now (login hours, IP ranges): asked again this often, not in backoff's minutes. */
export const REFUSED_RETRY_MS = 30 * 60_000;
/** An answer the app does not know, refusing every refresh this long, needs the user. */
export const UNKNOWN_REFUSAL_LIMIT_MS = 24 * 3600_000;
/** Said as what this connection's user does (fixWordsFor): sign in again, or paste new tokens. */
const MISSING_SECRETS = 'The keychain entry of this connection is missing or unreadable. Authorize the connection again.';

function failureResult(record: ConnectionRecord, failure: ApiFailure, what: string): CheckResult {
  return { ...failureState(record, failure, what), answer: failureCode(failure) };
}

function failureState(record: ConnectionRecord, failure: ApiFailure, what: string): CheckResult {
  if (failure.kind === 'service-key-rejected') return { status: record.status, detail: failure.message, patch: {}, outcome: NEVER, serviceKeyRejected: true };
  if (failure.kind === 'not-found') return { status: 'application-deleted', detail: 'The application was deleted in Data2CRM. Register it again with the stored tokens, or disconnect.', patch: { consecutiveFailures: 0 }, outcome: NEVER };
  if (failure.kind === 'refused-for-now') return { status: 'refused-for-now', detail: failure.message, patch: { consecutiveFailures: record.consecutiveFailures + 1 }, outcome: { kind: 'retry', retryAfterMs: REFUSED_RETRY_MS } };
  if (isTransient(failure)) {
    // The state (badge "Retrying", the tray's "retrying in …") says the app retries: the detail
    // gives only what failed and why, so no face says it twice.
    return { status: 'retrying', detail: `${what} failed: ${failure.message}`, patch: { consecutiveFailures: record.consecutiveFailures + 1 }, outcome: { kind: 'retry', retryAfterMs: retryAfterOf(failure) } };
  }
  if (failure.kind === 'credentials-rejected') return { status: 'needs-reauthorization', detail: fixWordsFor(record, failure.message), patch: { consecutiveFailures: 0 }, outcome: NEVER };
  // A refused request or an answer we do not understand: not the user's to fix yet; retry slowly.
  return { status: 'degraded', detail: `${what} failed: ${failure.message}`, patch: { consecutiveFailures: record.consecutiveFailures + 1 }, outcome: { kind: 'retry', retryAfterMs: null } };
}

/** A failure that happened after new credentials were stored: their bookkeeping is kept. */
function failedAfter(record: ConnectionRecord, failure: ApiFailure, what: string, patch: Partial<ConnectionRecord>): CheckResult {
  const failed = failureResult(record, failure, what);
  return { ...failed, patch: { ...patch, ...failed.patch, pushPending: true } };
}

function healthy(ctx: CheckContext, patch: Partial<ConnectionRecord>, plan: RunPlan): CheckResult {
  return { status: 'healthy', detail: null, patch: { ...patch, lastVerifiedAt: ctx.now(), consecutiveFailures: 0 }, outcome: { kind: 'done', nextDueAt: plan.at, ...(plan.latestAt !== undefined ? { latestAt: plan.latestAt } : {}) } };
}

const needsUser = (detail: string): CheckResult => ({ status: 'needs-reauthorization', detail, patch: { consecutiveFailures: 0 }, outcome: NEVER });

/** Sends the given credentials to Data2CRM (also the resumption of a failed push). */
async function push(record: ConnectionRecord, ctx: CheckContext, secrets: Pick<ConnectionSecrets, 'accessToken' | 'refreshToken'>, patch: Partial<ConnectionRecord>, nextRun: (r: ConnectionRecord) => RunPlan): Promise<CheckResult> {
  const pushed = await ctx.data2crm.updateApplication(record.applicationKey!, applicationInput(record, secrets, record.instanceUrl));
  if (!pushed.ok) return failedAfter(record, pushed.error, 'Updating Data2CRM', patch);
  return healthy(ctx, { ...patch, pushPending: false }, nextRun({ ...record, ...patch }));
}

async function checkInternal(record: ConnectionRecord, ctx: CheckContext): Promise<CheckResult> {
  const next = (): RunPlan => ({ at: ctx.now() + ctx.refresh.internalIntervalMs });
  if (record.pushPending) {
    // Data2CRM refreshes internal tokens itself: the stored pair is pushed as it is.
    const secrets = ctx.vault.secretsOf(record.id);
    if (!secrets) return needsUser(fixWordsFor(record, MISSING_SECRETS));
    return push(record, ctx, secrets, {}, next);
  }
  const health = await ctx.data2crm.checkHealth(record.applicationKey!);
  if (health.ok) return healthy(ctx, {}, next());
  if (health.error.kind !== 'credentials-rejected') return failureResult(record, health.error, 'Verification');
  // Data2CRM can no longer refresh: try the sign-in again without the user (saved session).
  const signIn = await ctx.silentReauthorize(record);
  if (!signIn.ok) return needsUser('Salesforce no longer accepts this connection and could not be signed in to quietly: sign in again yourself (Re-authorize).');
  const tokens = signIn.value;
  const saved = await ctx.vault.save(record.id, { ...(ctx.vault.secretsOf(record.id) ?? {}), accessToken: tokens.accessToken, refreshToken: tokens.refreshToken });
  const stored: Partial<ConnectionRecord> = { lastRefreshedAt: ctx.now(), tokenReceivedAt: ctx.now(), instanceUrl: tokens.instanceUrl, pushPending: true };
  // The sign-in names the org's instance (checked like any sign-in's): a new one is said in the activity log.
  const moved = tokens.instanceUrl.replace(/\/+$/, '') !== record.instanceUrl.replace(/\/+$/, '') ? { movedTo: tokens.instanceUrl } : {};
  // The old refresh token no longer works: the new pair reaches Data2CRM only once the keychain holds it.
  if (!saved) return { status: 'degraded', detail: PUSH_WAITS_FOR_KEYCHAIN, patch: { ...stored, consecutiveFailures: record.consecutiveFailures + 1 }, outcome: { kind: 'retry', retryAfterMs: null }, ...moved };
  return { ...(await push({ ...record, instanceUrl: tokens.instanceUrl }, ctx, tokens, stored, next)), ...moved };
}

/** When an external connection runs next after this run (the scheduling bench plans with it too). */
export const nextExternalRun = (record: ConnectionRecord, ctx: Pick<CheckContext, 'now' | 'refresh' | 'refreshBlockedUntil'>): RunPlan => externalRunPlan(record, ctx.refresh, ctx.now() + ctx.refresh.verifyIntervalMs, ctx.refreshBlockedUntil?.(record) ?? null);

/** A refresh Salesforce refused: what it means depends on the answer, and on how long refusals have lasted. */
function refreshFailed(record: ConnectionRecord, ctx: CheckContext, failure: ApiFailure): CheckResult {
  if (failure.kind === 'invalid-request') return needsUser(failure.message);
  // An answer nobody knows, refusing every refresh for a day: retrying will not fix it, the user must.
  const refusedLong = record.troubleSince !== null && ctx.now() - record.troubleSince >= UNKNOWN_REFUSAL_LIMIT_MS;
  if (failure.kind === 'unexpected-response' && failure.status === 400 && refusedLong) {
    return needsUser(`Salesforce has refused to renew this connection for a day with an answer the app does not know (${failure.message}) Re-authorize it.`);
  }
  return failureResult(record, failure, 'Token refresh');
}

const UNTRUSTED_INSTANCE: ApiFailure = { kind: 'unexpected-response', status: 200, message: 'Salesforce named a new instance address for this org outside Salesforce’s domains; it was not used.' };

/**
 * Refresh with the refresh token; store a rotated one before anything else (also from an answer
 * rejected otherwise); adopt a new instance URL that passes the host rules; then push, and only
 * once the keychain holds the new pair.
 */
async function refreshExternal(record: ConnectionRecord, ctx: CheckContext, relearn = false): Promise<CheckResult> {
  const secrets = ctx.vault.secretsOf(record.id);
  if (!secrets) return needsUser(fixWordsFor(record, MISSING_SECRETS));
  if (!secrets.refreshToken || !record.connectedApp) return needsUser('No refresh token is stored for this connection; sign in again.');
  const oauth = ctx.oauthFor(record, secrets.clientSecret);
  const tokens = await oauth.refresh(secrets.refreshToken);
  if (!tokens.ok) {
    // The answer was refused as a whole, but its new refresh token has already replaced the old one.
    if (tokens.rotatedRefreshToken) await ctx.vault.save(record.id, { ...secrets, refreshToken: tokens.rotatedRefreshToken });
    return refreshFailed(record, ctx, tokens.error);
  }
  // Salesforce moved the org (a migration, a My Domain change): adopted only on a trusted host.
  const movedTo = tokens.value.instanceUrl !== record.instanceUrl ? tokens.value.instanceUrl : null;
  if (movedTo !== null && ctx.trustsInstance && !ctx.trustsInstance(movedTo)) {
    if (tokens.value.refreshToken) await ctx.vault.save(record.id, { ...secrets, refreshToken: tokens.value.refreshToken });
    return refreshFailed(record, ctx, UNTRUSTED_INSTANCE);
  }
  // Our clock, at the moment we have the token: its age is measured from here.
  const receivedAt = ctx.now();
  const fresh = { ...secrets, accessToken: tokens.value.accessToken, ...(tokens.value.refreshToken ? { refreshToken: tokens.value.refreshToken } : {}) };
  // Rotation kills the old refresh token at once: the new pair is in the keychain before it is
  // used. A plain refresh writes nothing there (the access token lives in memory and at Data2CRM).
  const stored = await ctx.vault.refreshed(record.id, fresh);
  const moved = movedTo !== null ? { movedTo } : {};
  const refreshed: Partial<ConnectionRecord> = { tokenIssuedAt: tokens.value.issuedAt, tokenReceivedAt: receivedAt, lastRefreshedAt: receivedAt, pushPending: true, ...(movedTo !== null ? { instanceUrl: movedTo } : {}) };
  // The write failed (the vault retries it): nothing uses or sends the new token until it lands.
  if (!stored) return { status: 'degraded', detail: PUSH_WAITS_FOR_KEYCHAIN, patch: { ...refreshed, consecutiveFailures: record.consecutiveFailures + 1 }, outcome: { kind: 'retry', retryAfterMs: null }, ...moved };
  // Learn the org's real lifetime once (one introspection), not on every refresh; again when asked
  // (the user's own refresh: the org's session settings may have changed), keeping the old value if that fails.
  const learnedLifetimeMs = record.learnedLifetimeMs !== null && !relearn ? record.learnedLifetimeMs : ((await learnLifetime(oauth, tokens.value.accessToken, tokens.value.issuedAt, secrets.clientSecret)) ?? record.learnedLifetimeMs);
  const withLifetime = { ...refreshed, learnedLifetimeMs };
  return { ...(await push({ ...record, ...withLifetime }, ctx, fresh, withLifetime, (r) => nextExternalRun(r, ctx))), ...moved };
}

const isExpired = (record: ConnectionRecord, ctx: CheckContext) => {
  const expiry = estimatedExpiry(record, ctx.refresh);
  return expiry === null || ctx.now() >= expiry;
};

async function checkExternal(record: ConnectionRecord, ctx: CheckContext, reason: JobReason): Promise<CheckResult> {
  const expiry = estimatedExpiry(record, ctx.refresh);
  // The plan puts a refresh at its window's start (jitter only later): from there it is due.
  const window = refreshWindow(record, ctx.refresh);
  const due = reason === 'manual' || window === null || ctx.now() >= window.from;
  const blockedUntil = ctx.refreshBlockedUntil?.(record) ?? null;
  if (record.pushPending && (!isExpired(record, ctx) || blockedUntil !== null)) {
    const secrets = ctx.vault.secretsOf(record.id);
    if (!secrets) return needsUser(fixWordsFor(record, MISSING_SECRETS));
    return push(record, ctx, secrets, {}, (r) => nextExternalRun(r, ctx));
  }
  // Without a client secret the lifetime is only learned by finding tokens dead: a scheduled
  // refresh looks first, so a lifetime learned too long is corrected at the next refresh.
  const looksFirst = reason === 'scheduled' && record.tokenReceivedAt !== null && !ctx.vault.secretsOf(record.id)?.clientSecret;
  // The user's own "Refresh now" is not a plan: the guard does not refuse it. It also learns the
  // lifetime again (one introspection, with the secret): a lifetime that shrank in Salesforce's
  // settings is not believed until the next token dies.
  if (reason === 'manual') return refreshExternal(record, ctx, true);
  if (due && blockedUntil === null && !looksFirst) return refreshExternal(record, ctx);
  const health = await ctx.data2crm.checkHealth(record.applicationKey!);
  if (health.ok && due && blockedUntil === null) return refreshExternal(record, ctx);
  if (health.ok) return { ...healthy(ctx, {}, nextExternalRun(record, ctx)), ...(due ? { refreshBlocked: true } : {}) };
  if (health.error.kind !== 'credentials-rejected') return failureResult(record, health.error, 'Verification');
  // Data2CRM says the token is dead before we expected: learn the lifetime from its age (or by
  // introspection, when the secret allows), refresh once, then check once more.
  const diedEarly = expiry !== null && record.tokenReceivedAt !== null && ctx.now() < expiry;
  const observed = diedEarly ? lifetimeFromObservedAge(ctx.now() - record.tokenReceivedAt!) : null;
  const learned = ctx.vault.secretsOf(record.id)?.clientSecret ? null : (observed ?? record.learnedLifetimeMs);
  const answer = await refreshExternal({ ...record, learnedLifetimeMs: learned }, ctx);
  // The org had moved, so the token was not dead: its age teaches nothing about the lifetime.
  const refreshed = answer.movedTo && answer.patch.learnedLifetimeMs !== undefined ? { ...answer, patch: { ...answer.patch, learnedLifetimeMs: record.learnedLifetimeMs } } : answer;
  if (refreshed.status !== 'healthy') return refreshed;
  const again = await ctx.data2crm.checkHealth(record.applicationKey!);
  if (again.ok) return refreshed;
  const failed = failureResult(record, again.error, 'Verification after refresh');
  return { ...failed, patch: { ...refreshed.patch, ...failed.patch }, ...(refreshed.movedTo ? { movedTo: refreshed.movedTo } : {}) };
}

async function checkManual(record: ConnectionRecord, ctx: CheckContext): Promise<CheckResult> {
  const next = (): RunPlan => ({ at: ctx.now() + ctx.refresh.verifyIntervalMs });
  if (record.pushPending) {
    const secrets = ctx.vault.secretsOf(record.id);
    if (!secrets) return needsUser(fixWordsFor(record, MISSING_SECRETS));
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
