/**
 * Where data leaves the core, each edge passes the secret redactor: log lines, the settings and
 * activity files, notifications, the diagnostics file, and every result and event of the app
 * service (IPC results, pushed snapshots, the tray). composeCore wires these once; nothing inside
 * the core has to remember to redact.
 */
import type { AppService } from './app-service.js';
import type { Logger, SaveDiagnostics, SettingsFile } from './ports.js';
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
      file.write({
        ...data,
        connections: connections.map((c) => ({
          ...c,
          ...(typeof c['label'] === 'string' ? { label: redactor.outbound(c['label']) } : {}),
          ...(typeof c['statusDetail'] === 'string' ? { statusDetail: redactor.text(c['statusDetail']) } : {}),
        })),
      });
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
      if (request.mode === 'manual') [request.accessToken, request.refreshToken].forEach(remember);
      if (request.mode === 'external') remember(request.clientSecret);
      return typed.connect(request);
    },
    updateTokens: (id, accessToken, refreshToken) => ([accessToken, refreshToken].forEach(remember), typed.updateTokens(id, accessToken, refreshToken)),
  };
}
