import type { SettingsView, Snapshot } from '../../../preload/contract';
import { useSettings } from './use-settings';

export function GeneralPanel({ snapshot }: { snapshot: Snapshot }) {
  const [settings, reload, setLocal] = useSettings();
  if (!settings) return <p>Loading…</p>;
  // Show the choice at once, save it, then re-read what main kept.
  const save = (patch: { general?: Partial<SettingsView['general']>; signIn?: Partial<SettingsView['signIn']> }) => {
    setLocal({ ...settings, general: { ...settings.general, ...patch.general }, signIn: { ...settings.signIn, ...patch.signIn } });
    void window.api.updateSettings(patch).then(reload);
  };
  return (
    <section aria-labelledby="general-heading">
      <h2 id="general-heading">General</h2>
      <div className="card">
        <label className="choice">
          <input type="checkbox" checked={settings.general.launchAtLogin} onChange={(e) => save({ general: { launchAtLogin: e.target.checked } })} /> Launch at login
        </label>
        <label className="choice">
          <input type="checkbox" checked={settings.general.notifications} onChange={(e) => save({ general: { notifications: e.target.checked } })} /> Notify me when a connection needs me
        </label>
        <label className="choice">
          <input type="checkbox" checked={settings.general.renewedNotifications} onChange={(e) => save({ general: { renewedNotifications: e.target.checked } })} /> Also notify when a connection works again
        </label>
        <div className="field inline">
          <label htmlFor="snooze-hours">Snooze a connection&apos;s notifications for</label>
          <select id="snooze-hours" value={String(settings.general.snoozeMinutes)} onChange={(e) => save({ general: { snoozeMinutes: Number(e.target.value) } })}>
            {[60, 240, 480, 1440, 10080].map((m) => (
              <option key={m} value={String(m)}>
                {m < 1440 ? `${m / 60} h` : m === 1440 ? '1 day' : '1 week'}
              </option>
            ))}
          </select>
        </div>
        <label className="choice">
          <input type="checkbox" checked={snapshot.paused} onChange={(e) => void window.api.setPaused(e.target.checked)} /> Pause automatic refresh
        </label>
      </div>
      <fieldset className="card">
        <legend>Sign in with</legend>
        <label className="choice">
          <input type="radio" name="sign-in-with" checked={settings.signIn.with === 'app-window'} onChange={() => save({ signIn: { with: 'app-window' } })} /> The app&apos;s own window
        </label>
        <label className="choice">
          <input type="radio" name="sign-in-with" checked={settings.signIn.with === 'system-browser'} onChange={() => save({ signIn: { with: 'system-browser' } })} /> My default browser (works with company single sign-on)
        </label>
      </fieldset>
      <div className="card">
        <h3>Storage</h3>
        <p data-testid="storage-status">
          <strong>{snapshot.storage.kind === 'keychain' ? 'Keychain' : snapshot.storage.kind === 'encrypted-file' ? 'Encrypted file' : 'Session only'}</strong>: {snapshot.storage.detail}
        </p>
      </div>
    </section>
  );
}
