import { useState } from 'react';
import type { SettingsView } from '../../../preload/contract';
import { ActionButton } from '../components/action-button';
import { Field } from '../components/field';
import { useSettings } from './use-settings';

type Refresh = SettingsView['refresh'];
const FIELDS: Array<{ key: keyof Refresh; label: string; hint: string; min: number; max: number }> = [
  { key: 'internalIntervalMinutes', label: 'Verify Data2CRM-refreshed connections every (minutes)', hint: 'oAuth-internal connections.', min: 1, max: 1440 },
  { key: 'sessionLifetimeMinutes', label: 'Salesforce session lifetime (minutes)', hint: "Your org's session timeout; access tokens are renewed before it ends.", min: 5, max: 10080 },
  { key: 'skewMinutes', label: 'Renew this early (minutes)', hint: 'Margin before the estimated expiry.', min: 0, max: 60 },
  { key: 'concurrency', label: 'Connections refreshed at once', hint: 'A global cap.', min: 1, max: 64 },
  { key: 'notifyAfterFailures', label: 'Tell me after this many failures in a row', hint: 'For temporary problems; "needs you" is always told at once.', min: 1, max: 100 },
];

export function RefreshPanel() {
  const [settings, reload] = useSettings();
  const [draft, setDraft] = useState<Refresh | null>(null);
  const refresh = draft ?? settings?.refresh;
  if (!refresh) return <p>Loading…</p>;
  const invalid = FIELDS.filter((f) => !(Number.isInteger(refresh[f.key]) && refresh[f.key] >= f.min && refresh[f.key] <= f.max));
  return (
    <section aria-labelledby="refresh-heading">
      <h2 id="refresh-heading">Refresh</h2>
      <form className="card" onSubmit={(e) => e.preventDefault()}>
        {FIELDS.map((f) => (
          <Field
            key={f.key}
            label={f.label}
            hint={f.hint}
            inputMode="numeric"
            value={String(refresh[f.key])}
            onChange={(e) => setDraft({ ...refresh, [f.key]: Number(e.target.value.replace(/\D/g, '') || 0) })}
            error={invalid.includes(f) ? `Enter a whole number from ${f.min} to ${f.max}.` : undefined}
          />
        ))}
        <ActionButton variant="primary" disabled={invalid.length > 0} run={() => window.api.updateSettings({ refresh })} onDone={(r) => r.ok && (setDraft(null), reload())}>
          Save
        </ActionButton>
      </form>
    </section>
  );
}
