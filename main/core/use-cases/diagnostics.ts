/**
 * The diagnostics report: versions, settings without secrets, states, recent events, redacted by
 * value. The preview shows exactly what Export writes.
 */
import type { ActionResult } from '../../../preload/contract.js';
import { redactValue } from '../redact.js';
import type { UseCaseDeps } from './deps.js';
import type { Views } from './views.js';

/** Times in the diagnostics report: ISO 8601 (UTC), which support can read and sort; the window shows them in local time. */
const iso = (at: number | null): string | null => (at === null ? null : new Date(at).toISOString());

export function createDiagnosticsActions(deps: Pick<UseCaseDeps, 'settings' | 'keepAlive' | 'activity' | 'storage' | 'appInfo' | 'platform' | 'clock' | 'logger' | 'saveDiagnostics'>, views: Pick<Views, 'snapshot'>) {
  /** Exactly what Export writes: versions, settings without secrets, states, recent events. */
  function diagnostics(): string {
    const s = deps.settings.get();
    const report = {
      generatedAt: new Date(deps.clock.now()).toISOString(),
      app: deps.appInfo,
      platform: deps.platform,
      storage: deps.storage.kind,
      paused: deps.keepAlive.isPaused(),
      serviceKeyRejected: deps.keepAlive.serviceKeyRejected(),
      settings: { endpoints: s.endpoints, signIn: s.signIn, refresh: s.refresh, general: s.general, extraInstanceHosts: s.extraInstanceHosts },
      connections: views.snapshot().connections.map(({ id, label, mode, crmType, orgId, status, statusDetail, lastVerifiedAt, lastRefreshedAt, expiresAt, applicationKeyFingerprint }) => ({ id, label, mode, crmType, orgId, status, statusDetail, lastVerifiedAt: iso(lastVerifiedAt), lastRefreshedAt: iso(lastRefreshedAt), expiresAt: iso(expiresAt), applicationKeyFingerprint })),
      recentEvents: deps.activity.entries().slice(-200).map((event) => ({ ...event, at: iso(event.at) })),
    };
    return JSON.stringify(redactValue(report), null, 2);
  }

  return {
    diagnostics,

    async exportDiagnostics(): Promise<ActionResult> {
      const path = await deps.saveDiagnostics(diagnostics());
      if (path === null) return { ok: false, message: 'Export cancelled.' };
      deps.logger.info('diagnostics exported');
      return { ok: true, message: `Saved to ${path}.` };
    },
  };
}
