/**
 * Settings in the units people use (minutes, not milliseconds), and changing them: refresh timing,
 * general options, and the service addresses, which are used only after the user's yes in main's
 * own dialog (a new address is a new place for secrets). `useLocalSandbox` points every address at
 * `npm run sandbox` in one step.
 */
import type { ActionResult, SettingsPatch, SettingsView } from '../../../preload/contract.js';
import { loginBaseUrl, parseBaseUrl } from '../settings/endpoints.js';
import { instanceHostsAfter, localSandboxFrom, withLocalSandbox } from '../settings/local-sandbox.js';
import type { Settings } from '../settings/schema.js';
import type { UseCaseDeps } from './deps.js';
import { MIN } from './results.js';
import { notSavedBecause, storageFailureOf } from '../state-database/storage-failure.js';

export function createSettingsActions(deps: Pick<UseCaseDeps, 'settings' | 'loginItem' | 'endpoints' | 'changed'>) {
  const { settings, changed } = deps;

  function settingsView(s: Settings = settings.get()): SettingsView {
    return {
      endpoints: { ...s.endpoints },
      signIn: { with: s.signIn.with, timeoutMinutes: Math.round(s.signIn.timeoutMs / MIN), callbackPort: s.signIn.callbackPort },
      refresh: {
        internalIntervalMinutes: Math.round(s.refresh.internalIntervalMs / MIN),
        sessionLifetimeMinutes: Math.round(s.refresh.sessionLifetimeMs / MIN),
        skewMinutes: Math.round(s.refresh.skewMs / MIN),
        concurrency: s.refresh.concurrency,
        notifyAfterMinutes: Math.round(s.refresh.notifyAfterMs / MIN),
      },
      general: { launchAtLogin: deps.loginItem.get(), notifications: s.general.notifications, renewedNotifications: s.general.renewedNotifications, snoozeMinutes: Math.round(s.general.snoozeMs / MIN) },
    };
  }

  return {
    settingsView: () => settingsView(),

    async updateSettings(patch: SettingsPatch): Promise<ActionResult> {
      const current = settings.get();
      const endpoints = { ...current.endpoints, ...patch.endpoints };
      for (const [field, value] of [['data2crmApiBase', endpoints.data2crmApiBase], ['data2crmAuthBase', endpoints.data2crmAuthBase]] as const) {
        const parsed = parseBaseUrl(value);
        if (!parsed.ok) return { ok: false, message: parsed.error, field };
        endpoints[field] = parsed.value;
      }
      const login = loginBaseUrl(endpoints.salesforceLoginHost);
      if (!login.ok) return { ok: false, message: login.error, field: 'salesforceLoginHost' };
      // Nobody is asked to confirm a change that cannot be saved.
      const refused = settings.preferencesRefusal();
      if (refused) return { ok: false, message: `Nothing was saved: ${refused}.` };
      // A new address is saved only after the user's yes in main's own dialog.
      const approved = await deps.endpoints.approve({ endpoints });
      if (!approved.ok) return { ok: false, message: approved.error };
      const r = patch.refresh ?? {};
      const g = patch.general ?? {};
      if (g.launchAtLogin !== undefined) deps.loginItem.set(g.launchAtLogin);
      try {
        settings.update((s) => ({
          ...s,
          endpoints,
          // Instance hosts trusted for addresses no longer in use go with them (the sandbox's, after leaving it).
          extraInstanceHosts: instanceHostsAfter(s.extraInstanceHosts, s.endpoints, endpoints),
          signIn: {
            with: patch.signIn?.with ?? s.signIn.with,
            timeoutMs: patch.signIn?.timeoutMinutes !== undefined ? patch.signIn.timeoutMinutes * MIN : s.signIn.timeoutMs,
            callbackPort: patch.signIn?.callbackPort ?? s.signIn.callbackPort,
          },
          refresh: {
            ...s.refresh,
            ...(r.internalIntervalMinutes !== undefined ? { internalIntervalMs: r.internalIntervalMinutes * MIN } : {}),
            ...(r.sessionLifetimeMinutes !== undefined ? { sessionLifetimeMs: r.sessionLifetimeMinutes * MIN } : {}),
            ...(r.skewMinutes !== undefined ? { skewMs: r.skewMinutes * MIN } : {}),
            ...(r.concurrency !== undefined ? { concurrency: r.concurrency } : {}),
            ...(r.notifyAfterMinutes !== undefined ? { notifyAfterMs: r.notifyAfterMinutes * MIN } : {}),
          },
          general: {
            notifications: g.notifications ?? s.general.notifications,
            renewedNotifications: g.renewedNotifications ?? s.general.renewedNotifications,
            snoozeMs: g.snoozeMinutes !== undefined ? g.snoozeMinutes * MIN : s.general.snoozeMs,
          },
        }));
      } catch (error) {
        return { ok: false, message: storageFailureOf(error) ? `Nothing was saved: ${notSavedBecause(error)}.` : 'Those settings are out of range; nothing was saved.' };
      }
      // Expiry estimates and lifetimes follow the refresh settings: every view is looked at again.
      changed('all');
      return { ok: true, message: 'Saved.' };
    },

    /**
     * One step to try the app against `npm run sandbox`: every address and the trusted instance
     * host change together. A single main-side action, so a confirmation can stand in front of it.
     */
    async useLocalSandbox(address: string): Promise<ActionResult> {
      const sandbox = localSandboxFrom(address);
      if (!sandbox.ok) return { ok: false, message: sandbox.error, field: 'sandboxAddress' };
      const refused = settings.preferencesRefusal();
      if (refused) return { ok: false, message: `The settings could not be saved (${refused}); the app still uses its previous addresses.` };
      // Loopback, but still a new place for secrets: main's own dialog asks first.
      const approved = await deps.endpoints.approve({ endpoints: sandbox.value.endpoints, extraInstanceHosts: sandbox.value.instanceHosts });
      if (!approved.ok) return { ok: false, message: approved.error };
      try {
        settings.update((s) => withLocalSandbox(s, sandbox.value));
      } catch (error) {
        return { ok: false, message: `The settings could not be saved (${notSavedBecause(error)}); the app still uses its previous addresses.` };
      }
      changed();
      return { ok: true, message: `Now using the sandbox at ${sandbox.value.origin} for Data2CRM and Salesforce.` };
    },
  };
}
