/**
 * Ports: the only ways the core reaches the outside world. Adapters in main/adapters implement
 * them over Electron, keytar and electron-store; tests pass real implementations over temp
 * folders, a private keychain and loopback servers, or a fake clock.
 */
import type { LoadedPage } from './auth/provider-error-page.js';
import type { StorageFailureKind } from './state-database/storage-failure.js';

export type { LoadedPage };

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Wall and monotonic time, and one-shot timers. A fake one drives the scheduler in tests. */
export interface Clock {
  /** Wall-clock milliseconds since the epoch. */
  now(): number;
  /** Monotonic milliseconds; never jumps with the wall clock. */
  monotonic(): number;
  setTimer(delayMs: number, fire: () => void): TimerHandle;
}

export interface TimerHandle {
  cancel(): void;
}

/** One secret value per account under the app's service name (the OS keychain, normally). */
export interface SecretStore {
  readonly kind: 'keychain' | 'encrypted-file' | 'memory';
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  delete(account: string): Promise<boolean>;
  /**
   * Every account and its secret in one call, so startup cost does not grow with connections.
   * An entry that cannot be read (undecryptable) comes back with a null secret: it must not
   * hide the others.
   */
  findAll(): Promise<Array<{ account: string; secret: string | null }>>;
}

/** Non-secret, JSON-serialisable settings and connection records. */
export interface SettingsStore<T extends Record<string, unknown>> {
  get<K extends keyof T>(key: K): T[K];
  set<K extends keyof T>(key: K, value: T[K]): void;
}

/** The WHATWG fetch signature (Electron's net.fetch, Node's global fetch). */
export type HttpFetch = (url: string, init: RequestInit) => Promise<Response>;

/** One HTTP exchange as the core asks for it: no redirect followed, no body past `maxBytes`. */
export interface HttpExchange {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
  readonly signal: AbortSignal;
  readonly maxBytes: number;
}

/** Its answer: `text` is null when the body was larger than `maxBytes` (and was not read). */
export interface HttpReply {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  readonly text: string | null;
}

/**
 * HTTP, the one way the core reaches a server. It throws on a transport failure, with the system's
 * code (ECONNREFUSED, ENOTFOUND …) as `cause.code`, and on a redirect. The desktop app passes
 * Electron's net.fetch (system proxy and certificates) through `fetchTransport`
 * (core/http/fetch-transport.ts); the keeper a lighter client (adapters/undici-transport.ts);
 * without one the core uses Node's global fetch.
 */
export type HttpTransport = (exchange: HttpExchange) => Promise<HttpReply>;

/** The settings file as a whole document. Writes are atomic (electron-store / conf). */
export interface SettingsFile {
  /** The parsed document (undefined when there is none yet), or why it cannot be read. */
  read(): { ok: true; data: unknown } | { ok: false; reason: string };
  write(data: Record<string, unknown>): void;
  /**
   * Moves the current file aside and returns where it went (null when there was no file):
   * `unreadable` for a file that could not be used at all, `original` for one that was salvaged.
   */
  backup(kind?: 'unreadable' | 'original'): string | null;
  /** Writes data to a new side file next to this one (records set aside) and returns its path. */
  keepAside(data: unknown): string;
}

/** A loopback HTTP listener that catches the sign-in redirect (RFC 8252). */
export interface RedirectListener {
  /**
   * Listens on 127.0.0.1; port 0 picks a free one. Rejects when the port is taken. Every
   * candidate redirect URL (fragment included: the callback page posts location.href back) goes
   * to `judge`; an ignored one gets an error page and the listener keeps waiting.
   */
  start(port: number, judge: RedirectJudge): Promise<RedirectCapture>;
}

/** The core's verdict on one redirect URL: it ends the sign-in, or it is forged / stray and ignored. */
export type RedirectJudge = (url: string) => 'accepted' | 'ignored';

export interface RedirectCapture {
  /** http://127.0.0.1:<port>/callback */
  readonly redirectUri: string;
  close(): Promise<void>;
}

/** Where the sign-in page is shown: the app's own window, the system browser, or a test browser. */
export interface AuthBrowser {
  open(url: string, options: AuthBrowserOptions): AuthBrowserSession;
  /** Clears a connection's persistent sign-in session (on disconnect). */
  forgetSession(sessionId: string): Promise<void>;
}

export interface AuthBrowserOptions {
  /**
   * True for a navigation to our redirect URI that ends the sign-in (the core judged it): capture
   * it, do not show it. A forged one is false and falls to the navigation rule (blocked).
   */
  readonly isRedirect: (url: string) => boolean;
  /** The connection's own persistent browser session (reused for silent re-authorization). */
  readonly sessionId?: string;
  /** Hidden window, no user input expected (silent re-authorization). */
  readonly silent?: boolean;
  /** Only the app's own window can catch this sign-in's redirect (an https callback): never the system browser. */
  readonly embeddedOnly?: boolean;
  /**
   * Each main-frame page the window finished loading, with its HTTP status and, for an error
   * status, the start of its text: the core recognises the provider's error pages (a wrong
   * consumer key never redirects). Browsers that can't see pages (the system browser) never call it.
   */
  readonly onPage?: (page: LoadedPage) => void;
}

export interface AuthBrowserSession {
  /** A redirect the browser itself saw, or the user closing the window. */
  readonly outcome: Promise<{ kind: 'redirect'; url: string } | { kind: 'closed' }>;
  close(): void;
}

/** A new address the app would send secrets to, as the user is asked about it. */
export interface EndpointChange {
  /** Which setting, in the words of the settings window. */
  readonly setting: 'Data2CRM API' | 'Data2CRM sign-in' | 'Salesforce login' | 'Salesforce instance';
  /** The new host (with its port when not the scheme's default), named in the question. */
  readonly host: string;
  readonly url: string;
}

/**
 * Asks the user in a native main-process dialog, never in the renderer, whether the app may send
 * the user key, tokens and client secrets to new addresses. Resolves true only on an explicit yes.
 */
export type ConfirmEndpoints = (changes: readonly EndpointChange[]) => Promise<boolean>;

/** The OS clipboard (main copies keys itself, so they never cross IPC). */
export interface Clipboard {
  writeText(text: string): void;
}

/** Saves the diagnostics report where the user chooses; resolves to the path, or null if cancelled. */
export type SaveDiagnostics = (json: string) => Promise<string | null>;

/** Saves a sealed hand-over package where the user chooses (a new file, 0600); the path, or null if cancelled. */
export type SaveHandoverFile = (sealed: string, suggestedName: string) => Promise<string | null>;

/** Start at login: macOS/Windows login items, an XDG autostart file on Linux. */
export interface LoginItem {
  get(): boolean;
  set(enabled: boolean): void;
}

/** One row of the activity log as the state store keeps it (already redacted by the core). */
export interface StoredActivity {
  readonly at: number;
  readonly connectionId: string;
  readonly label: string;
  readonly kind: string;
  readonly from: string;
  readonly to: string;
  readonly message: string | null;
  /** How many routine renewals this row stands for (coalesced: one row, not one per renewal). */
  readonly repeats: number;
}

/**
 * A write is durable when the call returns, unless it is routine: a check that changed nothing but
 * its times (a healthy connection verified or renewed again), and its coalesced activity row.
 * Routine writes are committed together within the store's commit window (one transaction for
 * many checks, not one per check), at `commit()`, before any durable write, and at `close()`. A
 * crash inside the window loses only such a later time, never a change of state.
 */
export interface WriteOptions {
  readonly routine?: boolean;
}

/**
 * Connection records and the activity log (an embedded SQLite database in the app and in tests).
 * Opening it, and every read and write, throws a StorageFailure (state-database/storage-failure.ts)
 * when the database refuses: another program's lock, a full or read-only disk, damage.
 * One row per connection, written only when that connection changes; the activity log is
 * append-only with time-based retention. The core keeps everything in memory and only writes
 * here. The adapter is the only code that knows SQL.
 */
export interface StateStore {
  /** Every connection row in insertion order; the record as stored (the core validates each). */
  loadConnections(): Array<{ id: string; record: unknown }>;
  /** Upserts and removals in one transaction. */
  saveConnections(put: ReadonlyArray<{ id: string; record: unknown }>, remove: readonly string[], options?: WriteOptions): void;
  /** The newest `limit` activity rows, oldest first, each with its row id. */
  recentActivity(limit: number): Array<StoredActivity & { rowId: number }>;
  appendActivity(entry: StoredActivity, options?: WriteOptions): number;
  /** Rewrites one row in place (a coalesced renewal). */
  replaceActivity(rowId: number, entry: StoredActivity, options?: WriteOptions): void;
  /** Deletes activity older than `before` (wall-clock ms); returns how many rows went. */
  pruneActivity(before: number): number;
  /** Makes every routine write so far durable now (before quitting, before a test reads the file). */
  commit(): void;
  /**
   * Throws when the store cannot take a write now (another program holds its lock, a commit fails,
   * the file cannot be read): the keeper's /healthz asks. Commits waiting routine writes first.
   */
  probe?(): void;
  /** Commits and closes; resolves once every connection to the file (a worker's too) is closed. */
  close(): Promise<void>;
  /** Where a database that failed its integrity check at start was moved (a fresh one replaced it); null or absent when none was. */
  readonly movedAside?: string | null;
  /** The schema version of a database a newer app wrote: it is open read-only and every write throws a 'newer' StorageFailure. */
  readonly newer?: number | null;
  /** Told after each commit of routine writes on the store's own timer: null when it succeeded, else why it failed. */
  onBackgroundCommit?(listener: (failure: StorageFailureKind | null) => void): void;
}
