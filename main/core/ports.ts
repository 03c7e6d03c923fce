/**
 * Ports: the only ways the core reaches the outside world. Adapters in main/adapters implement
 * them over Electron, keytar and electron-store; tests pass real implementations over temp
 * folders, a private keychain and loopback servers, or a fake clock.
 */

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
  /** Every account and its secret in one call, so startup cost does not grow with connections. */
  findAll(): Promise<Array<{ account: string; secret: string }>>;
}

/** Non-secret, JSON-serialisable settings and connection records. */
export interface SettingsStore<T extends Record<string, unknown>> {
  get<K extends keyof T>(key: K): T[K];
  set<K extends keyof T>(key: K, value: T[K]): void;
}

/**
 * HTTP: the WHATWG fetch signature. Main passes Electron's net.fetch (system proxy and
 * certificates); tests and Node pass the global fetch against the loopback sandbox.
 */
export type HttpFetch = (url: string, init: RequestInit) => Promise<Response>;
