/**
 * The settings file: non-secret data only (no token, refresh token, client secret or user key
 * ever goes here). Versioned: every older version migrates forward one step at a time
 * (`migrate.ts`; a document that does not fully match is salvaged field by field, `salvage.ts`).
 */
import { z } from 'zod';
import { CALLBACK_KINDS } from '../../../shared/callback-urls.js';
import { DEFAULT_ENDPOINTS } from './endpoints.js';

export const CONNECTION_STATUSES = ['connecting', 'healthy', 'refreshing', 'retrying', 'needs-reauthorization', 'application-deleted', 'degraded', 'refused-for-now', 'paused', 'disconnecting'] as const;
export type ConnectionStatus = (typeof CONNECTION_STATUSES)[number];

/**
 * The user's own app (external mode): its client id is not a secret; its secret lives in the
 * keychain. `callback`: which callback URL the app registered (shared/callback-urls.ts); absent
 * means the loopback one (records written before there was a choice, tokens pasted with the key).
 */
export const connectedAppSchema = z.object({
  clientId: z.string().min(1).max(300),
  callbackPort: z.number().int().min(1).max(65535),
  callback: z.enum(CALLBACK_KINDS).optional(),
  /**
   * The tokens were pasted with this key ("Paste tokens"): the app renews them, but no sign-in with
   * this app was ever set up here (its callback URL is unknown), so new tokens are pasted too.
   */
  pasted: z.literal(true).optional(),
});
export type ConnectedApp = z.infer<typeof connectedAppSchema>;

export const connectionRecordSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]{8,64}$/),
  label: z.string().min(1).max(100),
  /** internal: Data2CRM refreshes; external: the tray refreshes with the user's connected app; manual: pasted tokens. */
  mode: z.enum(['internal', 'external', 'manual']),
  crmType: z.enum(['Salesforce', 'SalesforceSandbox']),
  loginBaseUrl: z.string().url(),
  instanceUrl: z.string().url(),
  orgId: z.string().nullable(),
  userId: z.string().nullable(),
  username: z.string().nullable(),
  applicationKey: z.string().nullable(),
  connectedApp: connectedAppSchema.nullable(),
  /** Salesforce's issued_at of the current access token (server clock): only compared with server times. */
  tokenIssuedAt: z.number().nullable(),
  /** When we received the current access token, on our wall clock (kept true through clock jumps): expiry estimates start here. */
  tokenReceivedAt: z.number().nullable().default(null),
  /**
   * The org's real access-token lifetime, learned once by introspection when the connected app's
   * secret allows asking (exp − issued_at); null means "use the configured session lifetime".
   */
  learnedLifetimeMs: z.number().int().positive().nullable().default(null),
  createdAt: z.number(),
  lastVerifiedAt: z.number().nullable(),
  lastRefreshedAt: z.number().nullable(),
  status: z.enum(CONNECTION_STATUSES),
  /** Why the connection is in its state, in plain words (never a secret). */
  statusDetail: z.string().max(300).nullable().default(null),
  consecutiveFailures: z.number().int().min(0).default(0),
  /** When the current run of failed checks began (wall ms, kept true through clock jumps); null while they succeed. */
  troubleSince: z.number().nullable().default(null),
  /** The user was told about the current trouble (it lasted long enough, or cost Data2CRM its token). */
  troubleTold: z.boolean().default(false),
  /** New credentials are in the keychain but Data2CRM has not received them yet. */
  pushPending: z.boolean().default(false),
  /** Progress of an interrupted disconnect, so a retry resumes where it stopped. */
  disconnect: z.object({ applicationDeleted: z.boolean(), tokenRevoked: z.boolean(), /** Salesforce refused the revocation (why): said when the disconnect ends. */ notRevoked: z.string().max(300).optional() }).nullable(),
  /**
   * Handed over to a keeper: this app no longer refreshes or checks it. `handing-over` from the
   * moment it is sealed until the keeper's receipt (or a cancel), then `kept`. Exactly one keeper:
   * while this is set, nothing here renews the connection.
   */
  keptBy: z
    .object({ keeper: z.string().min(1).max(100), handoverId: z.uuid(), since: z.number(), state: z.enum(['handing-over', 'kept']), receipt: z.string().regex(/^[A-Za-z0-9_-]{8}$/) })
    .nullable()
    .optional(),
  /**
   * Received in a hand-over (or hand-back): from whom, which package (taken once), when, and the
   * receipt this side answered (no secret: a sender that missed the answer asks for it again by
   * the package's id; absent on records taken before it was kept).
   */
  receivedFrom: z.object({ from: z.string().min(1).max(100), handoverId: z.uuid(), at: z.number(), receipt: z.string().regex(/^[A-Za-z0-9_-]{8}$/).optional() }).nullable().optional(),
});
export type ConnectionRecord = z.infer<typeof connectionRecordSchema>;

export const DEFAULT_REFRESH_SETTINGS = {
  /** oAuth-internal: verify on this interval. */
  internalIntervalMs: 15 * 60 * 1000,
  /** oAuth-external-refresh: assumed access-token lifetime (Salesforce's session timeout). */
  sessionLifetimeMs: 2 * 60 * 60 * 1000,
  /** Refresh this long before the estimated expiry (at most a tenth of the lifetime: see keepalive/token-lifetime.ts). */
  skewMs: 10 * 60 * 1000,
  /** Verify external and pasted connections at least this often. */
  verifyIntervalMs: 60 * 60 * 1000,
  concurrency: 4,
  /**
   * Tell the user about trouble the app retries by itself once it has lasted this long (or sooner
   * when it costs Data2CRM its access token: keepalive/trouble.ts). Never by a count of failures.
   */
  notifyAfterMs: 30 * 60 * 1000,
  backoffBaseMs: 2_000,
  backoffCapMs: 10 * 60 * 1000,
  /** Spread planned times later by up to this much, so connections never fire in lockstep. */
  jitterMs: 60_000,
};

const refreshSettingsSchema = z.object({
  internalIntervalMs: z.number().int().min(60_000).max(24 * 3600 * 1000),
  sessionLifetimeMs: z.number().int().min(60_000).max(7 * 24 * 3600 * 1000),
  skewMs: z.number().int().min(0).max(3600 * 1000),
  verifyIntervalMs: z.number().int().min(60_000).max(24 * 3600 * 1000),
  concurrency: z.number().int().min(1).max(64),
  notifyAfterMs: z.number().int().min(0).max(24 * 3600 * 1000),
  backoffBaseMs: z.number().int().min(100).max(60_000),
  backoffCapMs: z.number().int().min(1_000).max(24 * 3600 * 1000),
  jitterMs: z.number().int().min(0).max(3600 * 1000),
});
export type RefreshSettings = z.infer<typeof refreshSettingsSchema>;

export const SETTINGS_VERSION = 2;

export const settingsSchema = z.object({
  version: z.literal(SETTINGS_VERSION),
  endpoints: z.object({ data2crmApiBase: z.string(), data2crmAuthBase: z.string(), salesforceLoginHost: z.string() }),
  /** Hosts besides Salesforce's that may act as a Salesforce instance (the local sandbox). */
  extraInstanceHosts: z.array(z.string().max(300)).max(20),
  signIn: z.object({
    with: z.enum(['app-window', 'system-browser']),
    timeoutMs: z.number().int().min(10_000).max(60 * 60 * 1000),
    callbackPort: z.number().int().min(1024).max(65535),
  }),
  refresh: refreshSettingsSchema.default(DEFAULT_REFRESH_SETTINGS),
  general: z
    .object({ notifications: z.boolean(), renewedNotifications: z.boolean(), snoozeMs: z.number().int().min(5 * 60_000).max(7 * 24 * 3600 * 1000) })
    .default({ notifications: true, renewedNotifications: false, snoozeMs: 4 * 3600 * 1000 }),
  connections: z.array(connectionRecordSchema),
});
export type Settings = z.infer<typeof settingsSchema>;

export function defaultSettings(): Settings {
  return {
    version: SETTINGS_VERSION,
    endpoints: { ...DEFAULT_ENDPOINTS },
    extraInstanceHosts: [],
    signIn: { with: 'app-window', timeoutMs: 5 * 60 * 1000, callbackPort: 1717 },
    refresh: { ...DEFAULT_REFRESH_SETTINGS },
    general: { notifications: true, renewedNotifications: false, snoozeMs: 4 * 3600 * 1000 },
    connections: [],
  };
}
