import { useEffect, useState } from 'react';
import type { ActivityEntryView } from '../../../preload/contract';
import { ActionButton } from '../components/action-button';
import { absoluteTime } from '../components/time';

const STATE_WORDS: Record<string, string> = {
  connecting: 'connecting',
  healthy: 'working',
  refreshing: 'refreshing',
  retrying: 'retrying',
  'needs-reauthorization': 'needs re-authorization',
  'application-deleted': 'deleted in Data2CRM',
  degraded: 'having a problem',
  paused: 'paused',
  disconnecting: 'disconnecting',
};

/** "Needs re-authorization (was working)" rather than raw state names. */
function whatHappened(e: ActivityEntryView): string {
  if (e.kind === 'notice') return e.message ?? '';
  const words = (s: string) => STATE_WORDS[s] ?? s;
  const line = e.kind === 'renewed' ? 'Renewed' : `${words(e.to).replace(/^./, (c) => c.toUpperCase())} (was ${words(e.from)})`;
  return e.message ? `${line} — ${e.message}` : line;
}

/** The preview shows the report's ISO times as local, readable times; the exported file keeps ISO. */
function readableTimes(json: string): string {
  return json.replace(/"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z)"/g, (_, at: string) => JSON.stringify(absoluteTime(Date.parse(at))));
}

export function ActivityPanel() {
  const [entries, setEntries] = useState<ActivityEntryView[]>([]);
  const [filter, setFilter] = useState<'all' | 'problems' | 'renewals'>('all');
  const [preview, setPreview] = useState<string | null>(null);
  // Read again on every state change, so the log grows while it is open.
  useEffect(() => {
    let live = true;
    const load = () => void window.api.listActivity().then((list) => live && setEntries(list));
    load();
    const unsubscribe = window.api.onState(load);
    return () => {
      live = false;
      unsubscribe();
    };
  }, []);
  const shown = entries.filter((e) => filter === 'all' || (filter === 'renewals' ? e.kind === 'renewed' : e.kind === 'notice' || (e.kind === 'status' && e.to !== 'healthy')));
  return (
    <section aria-labelledby="activity-heading">
      <h2 id="activity-heading">Activity</h2>
      <div className="field inline">
        <label htmlFor="activity-filter">Show</label>
        <select id="activity-filter" value={filter} onChange={(e) => setFilter(e.target.value as typeof filter)}>
          <option value="all">Everything</option>
          <option value="problems">Problems</option>
          <option value="renewals">Renewals</option>
        </select>
      </div>
      {shown.length === 0 ? (
        <p className="empty">Nothing to show yet.</p>
      ) : (
        <table className="activity">
          <caption className="visually-hidden">Recent events</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Connection</th>
              <th scope="col">What happened</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((e, i) => (
              <tr key={`${e.at}-${i}`}>
                <td>{absoluteTime(e.at)}</td>
                <td>{e.label}</td>
                <td>{whatHappened(e)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="card">
        <h3>Diagnostics</h3>
        <p>A redacted report (versions, settings without secrets, states, recent events) to share with support.</p>
        <div className="row-actions">
          <button type="button" onClick={() => void window.api.previewDiagnostics().then((r) => setPreview(readableTimes(r.json)))}>
            Preview diagnostics
          </button>
          <ActionButton run={() => window.api.exportDiagnostics()} busyLabel="Exporting…">
            Export diagnostics…
          </ActionButton>
        </div>
        {preview && (
          <pre className="preview" data-testid="diagnostics-preview" tabIndex={0} aria-label="Diagnostics preview">
            {preview}
          </pre>
        )}
      </div>
    </section>
  );
}
