/**
 * The local API between the running app (or the keeper) and the `data2crm-tray` command: one JSON
 * object per line over a Unix domain socket (a named pipe on Windows), never TCP. Requests
 * `{"id", "op", "args"}`; answers `{"id", "ok": true, "value"}` or `{"id", "ok": false, "error":
 * {"code", "message"}}`; a `watch` is answered by events `{"id", "event"}`. The schemas are in
 * local-api-schemas.ts; this file has no zod in it, so the command line starts without it.
 */
export type { CommandLineOperation, LocalApiEnvelope, LocalApiErrorCode, LocalApiRequest, LocalApiResponse, Operation, OperationArgs, OperationResult } from './local-api-schemas.js';

/** The subscription `watch` asks for: the whole state first, then every delta. */
export const WATCH_OPERATION = 'state:watch';

/** A request line is at most this many characters: every argument the command line sends is small. */
export const MAX_REQUEST_CHARS = 64 * 1024;

export interface SocketPlace {
  readonly platform: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The app's data folder (Electron's userData; the keeper's --data). */
  readonly dataDir: string;
  /** Distinguishes servers of one user (the app: data2crm-tray; a keeper names its own). */
  readonly name?: string;
}

/**
 * Where the app listens: `$XDG_RUNTIME_DIR/<name>/local-api.sock` (a per-user folder the system
 * empties at logout), else `<data folder>/run/local-api.sock`; on Windows the pipe
 * `\\.\pipe\<name>-<user>`. The app and the command line both compute it with this function.
 */
export function localApiSocketPath(place: SocketPlace): string {
  const name = place.name ?? 'data2crm-tray';
  // The user's name is part of a pipe's name, so each user of a shared machine has their own.
  if (place.platform === 'win32') return `\\\\.\\pipe\\${name}-${(place.env['USERNAME'] ?? 'user').replace(/[^\w.-]/g, '_')}`;
  const runtime = place.env['XDG_RUNTIME_DIR'];
  const folder = runtime && runtime.startsWith('/') ? `${runtime.replace(/\/+$/, '')}/${name}` : `${place.dataDir.replace(/\/+$/, '')}/run`;
  return `${folder}/local-api.sock`;
}

/**
 * Electron's userData for this app (app name "Data2CRM Tray"), as the command line must find it
 * without Electron: ~/.config (or $XDG_CONFIG_HOME) on Linux, ~/Library/Application Support on
 * macOS, %APPDATA% on Windows.
 */
export function appDataDir(platform: string, env: Readonly<Record<string, string | undefined>>, home: string, appName = 'Data2CRM Tray'): string {
  if (platform === 'darwin') return `${home}/Library/Application Support/${appName}`;
  if (platform === 'win32') return `${env['APPDATA'] ?? `${home}\\AppData\\Roaming`}\\${appName}`;
  const config = env['XDG_CONFIG_HOME'] && env['XDG_CONFIG_HOME'].startsWith('/') ? env['XDG_CONFIG_HOME'] : `${home}/.config`;
  return `${config}/${appName}`;
}
