/**
 * Where data leaves the core, each edge passes the secret redactor: log lines, the settings and
 * activity files, notifications, the diagnostics file, and every result and event of the app
 * service (IPC results, pushed snapshots, the tray). composeCore wires these once; nothing inside
 * the core has to remember to redact.
 */
import type { AppService } from './app-service.js';
import type { Logger, SaveDiagnostics, SettingsFile, StateStore } from './ports.js';
import { rememberSecret, type SecretRedactor } from './secret-redactor.js';

/** A value as typed and as the core will trim it. */
const remember = (typed: string | undefined) => {
  rememberSecret(typed);
  rememberSecret(typed?.trim());
};

export function redactingLogger(logger: Logger, redactor: SecretRedactor): Logger {
  const level =
    (write: Logger['info']): Logger['info'] =>
    (message, fields) =>
      fields ? write(redactor.text(message), redactor.fields(fields) as Record<string, unknown>) : write(redactor.text(message));
  return { debug: level(logger.debug), info: level(logger.info), warn: level(logger.warn), error: level(logger.error) };
}

/** A connection record's free text (status detail, label); the rest is structure and URLs. */
function redactRecord(c: Record<string, unknown>, redactor: SecretRedactor): Record<string, unknown> {
  return {
    ...c,
    ...(typeof c['label'] === 'string' ? { label: redactor.outbound(c['label']) } : {}),
    ...(typeof c['statusDetail'] === 'string' ? { statusDetail: redactor.text(c['statusDetail']) } : {}),
  };
}

/** Connection rows pass the redactor like the settings document; activity is redacted by its log. */
export function redactingStateStore(state: StateStore, redactor: SecretRedactor): StateStore {
  return {
    ...state,
    saveConnections: (put, remove, options) => state.saveConnections(put.map(({ id, record }) => ({ id, record: redactRecord(record as Record<string, unknown>, redactor) })), remove, options),
  };
}

/** The settings document's free text (status details, labels); the rest is structure and URLs. */
export function redactingSettingsFile(file: SettingsFile, redactor: SecretRedactor): SettingsFile {
  return {
    read: () => file.read(),
    backup: () => file.backup(),
    // Set-aside records are written back as they were read: nothing new reaches them.
    keepAside: (data) => file.keepAside(data),
    write(data) {
      const connections = Array.isArray(data['connections']) ? (data['connections'] as Array<Record<string, unknown>>) : null;
      if (!connections) return file.write(data);
      file.write({ ...data, connections: connections.map((c) => redactRecord(c, redactor)) });
    },
  };
}

export function redactingSaveDiagnostics(save: SaveDiagnostics, redactor: SecretRedactor): SaveDiagnostics {
  return (json) => save(redactor.outbound(json));
}

/**
 * The app service as the windows and the tray see it: every result and pushed snapshot redacted.
 * Secrets typed or pasted by the user are remembered first, so even a rejected one that a server
 * echoes back is removed.
 */
export function redactingAppService(app: AppService, redactor: SecretRedactor): AppService {
  const guarded: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(app)) {
    guarded[name] = typeof member === 'function' ? (...args: unknown[]) => redactor.outbound((member as (...a: unknown[]) => unknown).apply(app, args)) : member;
  }
  const typed = guarded as AppService;
  return {
    ...typed,
    subscribe: (listener) => app.subscribe((snapshot) => listener(redactor.outbound(snapshot))),
    setUserKey: (userKey) => (remember(userKey), typed.setUserKey(userKey)),
    connect: (request) => {
      if (request.mode === 'manual') [request.accessToken, request.refreshToken, request.clientSecret].forEach(remember);
      if (request.mode === 'external') remember(request.clientSecret);
      return typed.connect(request);
    },
    updateTokens: (id, accessToken, refreshToken) => ([accessToken, refreshToken].forEach(remember), typed.updateTokens(id, accessToken, refreshToken)),
  };
}
