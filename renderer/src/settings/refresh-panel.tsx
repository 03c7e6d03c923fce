import { useState } from 'react';
import { settingsViewSchema, type SettingsView } from '../../../preload/contract';
import { ActionButton } from '../components/action-button';
import { Field } from '../components/field';
import { useSettings } from './use-settings';

type Refresh = SettingsView['refresh'];
/** Plain words; defaults as in main/core/settings/schema.ts; limits read from the contract (settingsViewSchema), so the two agree. */
const TEXTS: Array<{ key: keyof Refresh; label: string; hint: string; preset: number }> = [
  { key: 'internalIntervalMinutes', label: 'Check Data2CRM sign-in connections every (minutes)', hint: 'Data2CRM renews these itself; the app checks they still work.', preset: 15 },
  { key: 'sessionLifetimeMinutes', label: 'Salesforce session lifetime (minutes)', hint: "Your org's session timeout; used until the app learns the real one.", preset: 120 },
  { key: 'skewMinutes', label: 'Renew this many minutes early', hint: 'How long before a token runs out the app renews it (never more than a tenth of the session).', preset: 10 },
  { key: 'concurrency', label: 'Connections renewed at the same time', hint: 'More is faster with many connections; fewer is gentler on the network.', preset: 4 },
  { key: 'notifyAfterMinutes', label: 'Tell me when a problem lasts (minutes)', hint: 'Or sooner, when Data2CRM’s token would run out first; "needs you" is always told at once.', preset: 30 },
];
const FIELDS = TEXTS.map((t) => {
  const limits = settingsViewSchema.shape.refresh.shape[t.key];
  return { ...t, min: limits.minValue ?? 0, max: limits.maxValue ?? Number.MAX_SAFE_INTEGER };
});

type Draft = Record<keyof Refresh, string>;
const toDraft = (r: Refresh): Draft => Object.fromEntries(FIELDS.map((f) => [f.key, String(r[f.key])])) as Draft;

/** What is wrong with one field's text, in words; null when it is a whole number in range. */
function problem(text: string, f: (typeof FIELDS)[number]): string | null {
  const trimmed = text.trim();
  if (trimmed === '') return `Enter a number of ${f.key === 'concurrency' ? 'times' : 'minutes'}, from ${f.min} to ${f.max}.`;
  if (!/^\d+$/.test(trimmed)) return `Enter a whole number from ${f.min} to ${f.max}.`;
  const value = Number(trimmed);
  return value < f.min || value > f.max ? `Enter a whole number from ${f.min} to ${f.max}.` : null;
}

export function RefreshPanel() {
  const [settings, reload] = useSettings();
  const [draft, setDraft] = useState<Draft | null>(null);
  const current = draft ?? (settings ? toDraft(settings.refresh) : null);
  if (!current) return <p>Loading…</p>;
  const problems = Object.fromEntries(FIELDS.map((f) => [f.key, problem(current[f.key], f)]));
  const invalid = FIELDS.some((f) => problems[f.key] !== null);
  const values = Object.fromEntries(FIELDS.map((f) => [f.key, Number(current[f.key].trim())])) as Refresh;
  return (
    <section aria-labelledby="refresh-heading">
      <h2 id="refresh-heading">Refresh</h2>
      <form className="card" onSubmit={(e) => e.preventDefault()} noValidate>
        {FIELDS.map((f) => (
          <Field
            key={f.key}
            label={f.label}
            hint={f.hint}
            inputMode="numeric"
            value={current[f.key]}
            onChange={(e) => setDraft({ ...current, [f.key]: e.target.value })}
            error={problems[f.key] ?? undefined}
          />
        ))}
        <div className="row-actions">
          <ActionButton variant="primary" disabled={invalid} run={() => window.api.updateSettings({ refresh: values })} onDone={(r) => r.ok && (setDraft(null), reload())}>
            Save
          </ActionButton>
          <button type="button" onClick={() => setDraft(Object.fromEntries(FIELDS.map((f) => [f.key, String(f.preset)])) as Draft)}>
            Reset to defaults
          </button>
        </div>
      </form>
    </section>
  );
}
