export { assertNever } from './assert-never.js';
export type { AppState, AppStatus } from './app-status.js';
export type { Clock, Logger, SecretStore, SettingsStore, TimerHandle } from './ports.js';
export { buildTrayModel } from './tray-model.js';
export type { TrayAction, TrayMenuItem, TrayModel } from './tray-model.js';
export { fingerprint, redactText, redactValue, REDACTED } from './redact.js';
export { resolveInsideRoot } from './safe-path.js';
