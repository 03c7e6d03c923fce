/**
 * Where data leaves the core, each edge passes the secret redactor: log lines, the settings and
 * activity files, notifications, the diagnostics file, and every result and event of the app
 * service (IPC results, pushed snapshots, the tray). composeCore wires these once; nothing inside
 * the core has to remember to redact.
 */
import type { AppService } from './app-service.js';
import type { Logger, SaveDiagnostics, SettingsFile, StateStore } from './ports.js';
import type { SecretRedactor } from './secret-redactor.js';

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

/** A connection's application key is a secret the app holds (it opens the org's data through Data2CRM). */
function holdApplicationKey(id: string, record: unknown, redactor: SecretRedactor): void {
  const key = (record as { applicationKey?: unknown } | null)?.applicationKey;
  redactor.hold(`application:${id}`, typeof key === 'string' ? [key] : []);
}

/**
 * Connection rows pass the redactor like the settings document (activity is redacted by its
 * log), and the redactor learns each row's application key as it is loaded or written.
 */
export function redactingStateStore(state: StateStore, redactor: SecretRedactor): StateStore {
  return {
    ...state,
    loadConnections() {
      const rows = state.loadConnections();
      for (const { id, record } of rows) holdApplicationKey(id, record, redactor);
      return rows;
    },
    saveConnections(put, remove, options) {
      for (const { id, record } of put) holdApplicationKey(id, record, redactor);
      for (const id of remove) redactor.hold(`application:${id}`, []);
      state.saveConnections(put.map(({ id, record }) => ({ id, record: redactRecord(record as Record<string, unknown>, redactor) })), remove, options);
    },
  };
}

/** The settings document's free text (status details, labels); the rest is structure and URLs. */
export function redactingSettingsFile(file: SettingsFile, redactor: SecretRedactor): SettingsFile {
  return {
    read: () => file.read(),
    backup: (kind) => file.backup(kind),
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
 * What the user types into a secret field is not remembered here: until the app has taken it, it
 * is no secret (see secret-redactor.ts), and a server echoing it is cleaned by its request.
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
    // The one credential handed out on purpose (`data2crm-tray key`, as the tray's "Copy
    // application key"): the key itself passes unredacted; a refusal's words are redacted as usual.
    applicationKey: (id) => {
      const answer = app.applicationKey(id);
      return answer.ok ? answer : redactor.outbound(answer);
    },
  };
}
