import { useState } from 'react';
import type { ActionResult, ConnectionView } from '../../../preload/contract';
import { ActionButton } from '../components/action-button';
import { Field } from '../components/field';
import { StatusBadge } from '../components/status-badge';
import { absoluteTime, relativeTime } from '../components/time';
import { useSnapshot } from '../use-snapshot';

function explain(c: ConnectionView): string {
  switch (c.status) {
    case 'needs-reauthorization':
      return c.mode === 'manual' ? 'The pasted access token no longer works. Paste new tokens to keep this org connected.' : 'Salesforce no longer accepts this connection’s sign-in. Sign in again to keep it connected.';
    case 'application-deleted':
      return 'The application was deleted in Data2CRM. Register it again with the tokens stored on this computer, or disconnect.';
    case 'retrying':
    case 'degraded':
      return 'Refreshing keeps failing; the app keeps retrying on its own.';
    default:
      return 'This connection is working.';
  }
}

/** The re-authorize / update dialog: what happened, since when, and what the user can do. */
export function ConnectionDialog({ connectionId }: { connectionId: string }) {
  const snapshot = useSnapshot();
  const [accessToken, setAccessToken] = useState('');
  const [refreshToken, setRefreshToken] = useState('');
  const [confirmDisconnect, setConfirmDisconnect] = useState(false);
  const connection = snapshot?.connections.find((c) => c.id === connectionId);
  const closeOnSuccess = (result: ActionResult) => {
    if (result.ok) void window.api.closeWindow();
  };

  if (!snapshot) return <p className="dialog">Loading…</p>;
  if (!connection) {
    return (
      <main className="dialog">
        <h1>Connection not found</h1>
        <p>It may have been disconnected.</p>
        <button type="button" onClick={() => void window.api.closeWindow()}>
          Close
        </button>
      </main>
    );
  }
  return (
    <main className="dialog" aria-labelledby="dialog-heading">
      <h1 id="dialog-heading">
        {connection.label} <StatusBadge status={connection.status} />
      </h1>
      <p>{explain(connection)}</p>
      {connection.statusDetail && <p className="detail">{connection.statusDetail}</p>}
      <p className="hint">
        {connection.since !== null ? <>Since {absoluteTime(connection.since)} ({relativeTime(connection.since)}). </> : null}
        Last verified {relativeTime(connection.lastVerifiedAt)}.
      </p>
      <div className="row-actions">
        {connection.status === 'application-deleted' ? (
          <ActionButton variant="primary" run={() => window.api.registerAgain(connection.id)} busyLabel="Registering…" onDone={closeOnSuccess}>
            Register again
          </ActionButton>
        ) : connection.mode !== 'manual' ? (
          <ActionButton variant="primary" run={() => window.api.reauthorize(connection.id)} busyLabel="Waiting for sign-in…" onDone={closeOnSuccess}>
            Re-authorize
          </ActionButton>
        ) : null}
        {connection.mode === 'external' && (
          <ActionButton run={() => window.api.refreshNow(connection.id)} busyLabel="Refreshing…" onDone={closeOnSuccess}>
            Retry refresh now
          </ActionButton>
        )}
        <ActionButton run={() => window.api.snooze(connection.id)}>Snooze</ActionButton>
      </div>
      {connection.mode !== 'internal' && (
        <form className="card" onSubmit={(e) => e.preventDefault()} aria-labelledby="update-heading">
          <h2 id="update-heading">Update with new tokens</h2>
          <Field label="New access token" type="password" value={accessToken} onChange={(e) => setAccessToken(e.target.value)} autoComplete="off" />
          <Field label="New refresh token (optional)" type="password" value={refreshToken} onChange={(e) => setRefreshToken(e.target.value)} autoComplete="off" />
          <ActionButton run={() => window.api.updateTokens(connection.id, accessToken, refreshToken || undefined)} busyLabel="Checking with Salesforce…" onDone={closeOnSuccess} disabled={!accessToken}>
            Update
          </ActionButton>
        </form>
      )}
      <div className="row-actions">
        {confirmDisconnect ? (
          <>
            <span>Delete the Data2CRM application and remove the tokens?</span>
            <ActionButton variant="danger" run={() => window.api.disconnect(connection.id)} busyLabel="Disconnecting…" onDone={closeOnSuccess}>
              Yes, disconnect
            </ActionButton>
            <button type="button" onClick={() => setConfirmDisconnect(false)}>
              Keep it
            </button>
          </>
        ) : (
          <button type="button" className="danger" onClick={() => setConfirmDisconnect(true)}>
            Disconnect…
          </button>
        )}
        <button type="button" onClick={() => void window.api.closeWindow()}>
          Close
        </button>
      </div>
    </main>
  );
}
