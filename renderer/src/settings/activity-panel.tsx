import { useEffect, useState } from 'react';
import { activityShown, activityWords, type ActivityFilter } from '../../../shared/activity-words';
import type { ActivityEntryView } from '../../../preload/contract';
import { ActionButton } from '../components/action-button';
import { absoluteTime } from '../components/time';

/** The preview shows the report's ISO times as local, readable times; the exported file keeps ISO. */
function readableTimes(json: string): string {
  return json.replace(/"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z)"/g, (_, at: string) => JSON.stringify(absoluteTime(Date.parse(at))));
}

export function ActivityPanel() {
  const [entries, setEntries] = useState<ActivityEntryView[]>([]);
  const [filter, setFilter] = useState<ActivityFilter>('all');
  const [preview, setPreview] = useState<string | null>(null);
  // Read again on each new row (main sends them while the window is shown) and when the window
  // shows again (a hidden one is sent nothing), so the log grows while it is open.
  useEffect(() => {
    let live = true;
    const load = () => void window.api.listActivity().then((list) => live && setEntries(list));
    const onShown = () => document.visibilityState === 'visible' && load();
    load();
    const unsubscribe = window.api.onActivity(load);
    document.addEventListener('visibilitychange', onShown);
    return () => {
      live = false;
      unsubscribe();
      document.removeEventListener('visibilitychange', onShown);
    };
  }, []);
  const shown = entries.filter((e) => activityShown(e, filter));
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
                <td>{activityWords(e)}</td>
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
