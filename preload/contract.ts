/**
 * THE IPC contract. Every channel between the renderer and main is declared here once, with zod
 * schemas for its argument, its result and its events. main/ipc parses every incoming argument
 * (and every outgoing result) with these schemas; preload/api.ts derives the renderer's verbs
 * from the same map. Nothing main sends may carry a token, a refresh token, a client secret, the
 * Data2CRM user key or an application key: results hold masked fingerprints (…9f3a) at most.
 * Secrets only ever travel the other way, typed by the user (pasted tokens, a new user key).
 */
import { z } from 'zod';
import { CALLBACK_KINDS } from '../shared/callback-urls.js';

const id = z.string().regex(/^[a-z0-9-]{8,64}$/);
/** The one source of input limits: these schemas, the UI's checks and the core's all use them. */
export const LIMITS = { label: 100, host: 300, clientId: 300, secret: 4096, port: { min: 1024, max: 65535 } } as const;
export const SECRET_MAX = LIMITS.secret;
const label = z.string().trim().min(1, 'Give the connection a name.').max(LIMITS.label, `Keep the name under ${LIMITS.label} characters.`);
const crmType = z.enum(['Salesforce', 'SalesforceSandbox']);
const secretInput = z.string().max(SECRET_MAX, `That is longer than any Salesforce token or Data2CRM key (${SECRET_MAX} characters at most): check what was pasted.`);
const port = z
  .number({ error: 'Enter the port as a whole number, such as 1717.' })
  .int('Enter the port as a whole number, such as 1717.')
  .min(LIMITS.port.min, `Use a port from ${LIMITS.port.min} to ${LIMITS.port.max} (lower ones need administrator rights).`)
  .max(LIMITS.port.max, `Use a port from ${LIMITS.port.min} to ${LIMITS.port.max}.`);
/** A host or URL typed by hand: said when empty or longer than any address. */
const address = (empty: string) => z.string().trim().min(1, empty).max(LIMITS.host, `That is longer than any address (${LIMITS.host} characters at most): check what was pasted.`);
const fingerprint = z.string().max(8);
const timestamp = z.number().nullable();

export const appInfoSchema = z.strictObject({
  name: z.string().min(1).max(100),
  version: z.string().regex(/^\d+\.\d+\.\d+(?:[-+][\w.-]+)?$/),
});
export type AppInfo = z.infer<typeof appInfoSchema>;

const appStatus = z.enum(['ok', 'attention', 'error', 'busy', 'key-rejected', 'paused']);

export const appStatusEventSchema = z.strictObject({
  status: appStatus,
  summary: z.string().max(200),
});
export type AppStatusEvent = z.infer<typeof appStatusEventSchema>;

export const connectionStatusSchema = z.enum(['connecting', 'healthy', 'refreshing', 'retrying', 'needs-reauthorization', 'application-deleted', 'degraded', 'refused-for-now', 'paused', 'disconnecting']);

export const connectionViewSchema = z.strictObject({
  id,
  label: z.string(),
  mode: z.enum(['internal', 'external', 'manual']),
  crmType,
  instanceUrl: z.string(),
  orgId: z.string().nullable(),
  username: z.string().nullable(),
  status: connectionStatusSchema,
  statusDetail: z.string().nullable(),
  since: timestamp,
  lastVerifiedAt: timestamp,
  lastRefreshedAt: timestamp,
  expiresAt: timestamp,
  /** The next automatic run (e.g. the retry), when one is planned. */
  nextRunAt: timestamp,
  /** "lifetime 30 min, learned" (external mode). */
  lifetimeLine: z.string().max(100).nullable(),
  /** How the user gives it new credentials when it needs them (the core decides: main/core/connections/new-tokens-by.ts). */
  newTokensBy: z.enum(['sign-in', 'paste']),
  applicationKeyFingerprint: fingerprint.nullable(),
  accessTokenFingerprint: fingerprint.nullable(),
  hasRefreshToken: z.boolean(),
  snoozedUntil: timestamp,
  busy: z.boolean(),
  /**
   * Handed over: the keeper that keeps it (`pending` until its receipt came back); this app does
   * not renew it. `since`: when the hand-over began; `stalled`: pending past its bound (nobody
   * renews it: the person must finish or cancel); `handoverId`: the package under way (no secret:
   * `handover --to-socket` asks the keeper for its receipt by it; a pattern, not z.uuid(): the
   * command line's generated checks know no formats).
   */
  keptBy: z.strictObject({ keeper: z.string().max(100), pending: z.boolean(), since: z.number().optional(), stalled: z.boolean().optional(), handoverId: z.string().regex(/^[0-9a-f-]{36}$/i).optional() }).nullable().optional(),
});
export type ConnectionView = z.infer<typeof connectionViewSchema>;

/** A keychain entry without a connection record (an interrupted connect, a record set aside). */
export const orphanViewSchema = z.strictObject({
  id,
  label: z.string().max(100).nullable(),
  instanceUrl: z.string().max(300).nullable(),
  username: z.string().max(300).nullable(),
  readable: z.boolean(),
  /** What it says about itself passes a connect's checks: Recover is offered (else Delete only, local). */
  recognized: z.boolean(),
  hasRefreshToken: z.boolean(),
  detail: z.string().max(300),
});
export type OrphanView = z.infer<typeof orphanViewSchema>;

/**
 * What keeps the state database (or the settings file) from being written, as the core names it:
 * another program holds its lock, the disk is full or read-only, SQLite reports damage, a newer
 * version of the app wrote it (opened read-only), or anything else.
 */
export const storageProblemSchema = z.enum(['locked', 'corrupt', 'newer', 'full', 'read-only', 'other']);
export type StorageProblem = z.infer<typeof storageProblemSchema>;

/** Everything but the connections: the app-wide state (small, sent whole when any part changes). */
export const stateHeaderSchema = z.strictObject({
  status: appStatus,
  summary: z.string(),
  paused: z.boolean(),
  storage: z.strictObject({ kind: z.enum(['keychain', 'encrypted-file', 'session-only']), detail: z.string() }),
  serviceKeyRejected: z.boolean(),
  userKey: z.strictObject({ set: z.boolean(), fingerprint: fingerprint.nullable() }),
  orphans: z.array(orphanViewSchema),
  /** Present when the state database could not be read at start and was moved aside (this session): when. */
  damagedDatabase: z.strictObject({ at: z.number() }).optional(),
  /** Present while the state database cannot be written (or was made by a newer version): why, and since when. */
  stateDatabase: z.strictObject({ problem: storageProblemSchema, since: z.number() }).optional(),
});
export type StateHeader = z.infer<typeof stateHeaderSchema>;

/** Counts the changes main has sent: a snapshot includes every change up to its `seq`. */
const seq = z.number().int().nonnegative();

/** The whole state, fetched when a window opens (`state:get`). */
export const snapshotSchema = stateHeaderSchema.extend({ seq, connections: z.array(connectionViewSchema) });
export type Snapshot = z.infer<typeof snapshotSchema>;

/**
 * What changed (`state:changed`): the views that changed and the ids that went, the header only
 * when it changed. Each change is numbered: a window that sees a gap fetches the whole state.
 * `reset` carries the whole state (a window shown again: hidden windows are sent nothing).
 */
export const stateDeltaSchema = z.strictObject({
  seq,
  reset: z.literal(true).optional(),
  header: stateHeaderSchema.optional(),
  upserts: z.array(connectionViewSchema),
  removals: z.array(id),
});
export type StateDelta = z.infer<typeof stateDeltaSchema>;

const minutes = (min: number, max: number) => z.number().int().min(min).max(max);
export const settingsViewSchema = z.strictObject({
  endpoints: z.strictObject({ data2crmApiBase: z.string(), data2crmAuthBase: z.string(), salesforceLoginHost: z.string() }),
  signIn: z.strictObject({ with: z.enum(['app-window', 'system-browser']), timeoutMinutes: minutes(1, 60), callbackPort: port }),
  refresh: z.strictObject({
    internalIntervalMinutes: minutes(1, 1440),
    sessionLifetimeMinutes: minutes(5, 10080),
    skewMinutes: minutes(0, 60),
    concurrency: z.number().int().min(1).max(64),
    /** Trouble the app retries by itself is told once it has lasted this long (0: at once). */
    notifyAfterMinutes: minutes(0, 1440),
  }),
  general: z.strictObject({ launchAtLogin: z.boolean(), notifications: z.boolean(), renewedNotifications: z.boolean(), snoozeMinutes: minutes(5, 10080) }),
});
export type SettingsView = z.infer<typeof settingsViewSchema>;

/** A service address as typed (the core checks its form); bounded, so a huge paste costs nothing. */
const endpointInput = z.string().max(LIMITS.host, `That is longer than any address (${LIMITS.host} characters at most): check what was pasted.`);

export const settingsPatchSchema = z.strictObject({
  endpoints: z.strictObject({ data2crmApiBase: endpointInput, data2crmAuthBase: endpointInput, salesforceLoginHost: endpointInput }).partial().optional(),
  signIn: settingsViewSchema.shape.signIn.partial().optional(),
  refresh: settingsViewSchema.shape.refresh.partial().optional(),
  general: settingsViewSchema.shape.general.partial().optional(),
});
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

/** Expected failures come back as values the UI shows; `field` points at the input to fix. */
export const actionResultSchema = z.union([
  /** notice: something the user should read before the window moves on (e.g. a sign-in that ended another). */
  z.strictObject({ ok: z.literal(true), message: z.string().max(300).optional(), notice: z.string().max(1000).optional() }),
  z.strictObject({ ok: z.literal(false), message: z.string().max(600), field: z.string().max(40).optional() }),
]);
export type ActionResult = z.infer<typeof actionResultSchema>;

const consumerKey = z
  .string()
  .trim()
  .min(1, 'Enter the consumer key.')
  .max(LIMITS.clientId, `That is longer than any consumer key (${LIMITS.clientId} characters at most): check what was pasted.`)
  .regex(/^[\w.~-]*$/, 'A consumer key has only letters, digits and . _ ~ - : check what was pasted.');

/** Pasted tokens: a refresh token only with the consumer key of the app that issued it (it is usable with no other). */
const pastedTokens = z
  .strictObject({
    mode: z.literal('manual'),
    label,
    crmType,
    instanceUrl: address('Enter the instance URL.'),
    accessToken: secretInput.trim().min(1, 'Paste the access token.'),
    refreshToken: secretInput.optional(),
    clientId: consumerKey.optional(),
    clientSecret: secretInput.optional(),
  })
  .superRefine((value, ctx) => {
    if (value.clientId && !value.refreshToken?.trim()) ctx.addIssue({ code: 'custom', path: ['refreshToken'], message: 'Paste the refresh token the app issued (the consumer key is only needed with it).' });
    if (value.refreshToken?.trim() && !value.clientId) ctx.addIssue({ code: 'custom', path: ['clientId'], message: 'A refresh token works only with the consumer key of the app that issued it: add the consumer key, or leave the refresh token out.' });
  });

export const connectRequestSchema = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('internal'), label, crmType, replaceOldest: z.boolean().optional() }),
  z.strictObject({
    mode: z.literal('external'),
    label,
    crmType,
    loginHost: address('Enter your My Domain address, such as acme.my.salesforce.com.'),
    clientId: consumerKey,
    clientSecret: secretInput.optional(),
    callbackPort: port.optional(),
    /** Which callback the user's app lists (shared/callback-urls.ts); default the loopback one. */
    callback: z.enum(CALLBACK_KINDS).optional(),
    /** Yes to "this sign-in ends the oldest of five" (asked before the sign-in starts). */
    replaceOldest: z.boolean().optional(),
  }),
  pastedTokens,
]);
export type ConnectRequest = z.infer<typeof connectRequestSchema>;

export const activityEntrySchema = z.strictObject({
  at: z.number(),
  connectionId: z.string(),
  label: z.string(),
  /** status / renewed / moved (Salesforce moved the org: the message names where): keep-alive's; notice: the app's own (a damaged database set aside); the others: what the user did, or a hand-over to or from a keeper. */
  kind: z.enum(['status', 'renewed', 'moved', 'connected', 'reauthorized', 'tokens-updated', 'registered-again', 'renamed', 'disconnected', 'handed-over', 'received', 'handover-cancelled', 'notice']),
  from: z.string(),
  to: z.string(),
  message: z.string().nullable(),
  /** Routine renewals this row stands for (coalesced into one row). */
  repeats: z.number().int().min(1),
});
export type ActivityEntryView = z.infer<typeof activityEntrySchema>;

const withId = z.strictObject({ id });

/** A sealed hand-over package is a few KB (main/core/handover/package.ts allows up to this). */
export const SEALED_MAX = 256 * 1024;
/** What a person calls the keeper ("keeper-1", "the server in Frankfurt"): shown as "kept by …". */
export const keeperNameSchema = z.string().trim().min(1, 'Name the keeper (as you will recognise it: “keeper-1”).').max(100, 'Keep the keeper’s name under 100 characters.');
/** The one-time passphrase: 24 letters and digits in groups of four (typed with or without the dashes). */
export const passphraseSchema = z.string().trim().min(1, 'Type the passphrase shown when the connection was sealed.').max(100, 'That is longer than any hand-over passphrase.');
/** The keeper's receipt: 8 letters and digits, as it printed them. */
export const receiptSchema = z.string().trim().regex(/^[A-Za-z0-9_-]{8}$/, 'A receipt is 8 letters and digits, as the keeper printed it.');
/** Seals a connection into a file the person saves; the passphrase comes back once, to be shown once. */
export const handoverFileResultSchema = z.union([z.strictObject({ ok: z.literal(true), message: z.string().max(600), passphrase: z.string().max(100) }), z.strictObject({ ok: z.literal(false), message: z.string().max(600) })]);
/** A connection taken: its receipt goes back to the sender, which then completes. */
export const handoverReceivedSchema = z.union([z.strictObject({ ok: z.literal(true), message: z.string().max(600), receipt: z.string().max(8), id, again: z.boolean() }), z.strictObject({ ok: z.literal(false), message: z.string().max(600) })]);

/** Request/response channels: renderer asks, main answers. */
export const invokeChannels = {
  'app:get-info': { args: z.undefined(), result: appInfoSchema },
  'state:get': { args: z.undefined(), result: snapshotSchema },
  'settings:get': { args: z.undefined(), result: settingsViewSchema },
  'settings:update': { args: settingsPatchSchema, result: actionResultSchema },
  'settings:use-local-sandbox': { args: z.strictObject({ address: address('Paste the sandbox address.') }), result: actionResultSchema },
  'account:set-user-key': { args: z.strictObject({ userKey: z.string().trim().min(1, 'Paste the user key first.').min(8, 'The user key looks too short: Data2CRM user keys are longer.').max(SECRET_MAX, `That is longer than any Data2CRM user key (${SECRET_MAX} characters at most): check what was pasted.`) }), result: actionResultSchema },
  'account:test-user-key': { args: z.undefined(), result: actionResultSchema },
  /** forMinutes: resume by itself after this long ("Pause for 1 hour", `data2crm-tray pause --for 1h`). */
  'automation:set-paused': { args: z.strictObject({ paused: z.boolean(), forMinutes: z.number().int().min(1).max(7 * 24 * 60).optional() }), result: actionResultSchema },
  'connections:connect': { args: connectRequestSchema, result: actionResultSchema },
  'connections:cancel-sign-in': { args: z.undefined(), result: actionResultSchema },
  'connections:rename': { args: z.strictObject({ id, label }), result: actionResultSchema },
  'connections:refresh-now': { args: withId, result: actionResultSchema },
  'connections:reauthorize': { args: withId, result: actionResultSchema },
  'connections:update-tokens': { args: z.strictObject({ id, accessToken: secretInput.trim().min(1, 'Paste the access token.'), refreshToken: secretInput.optional() }), result: actionResultSchema },
  'connections:register-again': { args: withId, result: actionResultSchema },
  'connections:snooze': { args: withId, result: actionResultSchema },
  'connections:disconnect': { args: withId, result: actionResultSchema },
  'connections:copy-application-key': { args: withId, result: actionResultSchema },
  /** The exact callback URL the user's own app must list, copied by main (it is no secret). */
  'connections:copy-callback-url': { args: z.strictObject({ callback: z.enum(CALLBACK_KINDS), callbackPort: port.optional() }), result: actionResultSchema },
  'connections:open-in-salesforce': { args: withId, result: actionResultSchema },
  'orphans:recover': { args: withId, result: actionResultSchema },
  'orphans:delete': { args: withId, result: actionResultSchema },
  'activity:list': { args: z.undefined(), result: z.array(activityEntrySchema) },
  'diagnostics:preview': { args: z.undefined(), result: z.strictObject({ json: z.string() }) },
  'diagnostics:export': { args: z.undefined(), result: actionResultSchema },
  'window:close': { args: z.undefined(), result: actionResultSchema },
  /** "Hand over to a keeper…": seal, save the file (a save dialog), the passphrase once; nothing saved: cancelled. */
  'handover:to-file': { args: z.strictObject({ id, to: keeperNameSchema }), result: handoverFileResultSchema },
  'handover:complete': { args: z.strictObject({ id, receipt: receiptSchema }), result: actionResultSchema },
  'handover:cancel': { args: withId, result: actionResultSchema },
  /** Takes a connection handed back (the sealed file's text and its passphrase). */
  'handover:receive': { args: z.strictObject({ sealed: z.string().min(1, 'Choose the sealed file.').max(SEALED_MAX, 'That file is far larger than a sealed connection.'), passphrase: passphraseSchema }), result: handoverReceivedSchema },
  'app:quit': { args: z.undefined(), result: actionResultSchema },
} as const;

/** Event channels: main pushes, renderer listens. */
export const eventChannels = {
  'app:status': appStatusEventSchema,
  'state:changed': stateDeltaSchema,
  /** A row was added to the activity log (or a renewal coalesced into one): an open log reads it again. */
  'activity:appended': activityEntrySchema,
} as const;

export type InvokeChannel = keyof typeof invokeChannels;
export type EventChannel = keyof typeof eventChannels;
export type InvokeArgs<C extends InvokeChannel> = z.input<(typeof invokeChannels)[C]['args']>;
export type InvokeResult<C extends InvokeChannel> = z.output<(typeof invokeChannels)[C]['result']>;
export type EventPayload<C extends EventChannel> = z.output<(typeof eventChannels)[C]>;

/** What crosses the wire for every invoke: expected failures are values, not exceptions. */
export type IpcErrorCode = 'invalid-argument' | 'forbidden-sender' | 'unknown-channel' | 'failed';
export type IpcEnvelope<T> = { ok: true; value: T } | { ok: false; error: { code: IpcErrorCode; message: string } };

export function isInvokeChannel(name: unknown): name is InvokeChannel {
  return typeof name === 'string' && Object.hasOwn(invokeChannels, name);
}
