import { useEffect, useState } from 'react';
import type { ActionResult, ConnectionView } from '../../../preload/contract';
import { connectionStateLine, needsUser } from '../../../shared/state-words';
import { ActionButton } from '../components/action-button';
import { StatusBadge } from '../components/status-badge';
import { absoluteTime, relativeTime } from '../components/time';
import { useNow } from '../components/use-now';
import { useSnapshot } from '../use-snapshot';
import { UpdateTokensForm } from './update-tokens-form';

/** What happened, in one sentence; the server's own detail follows only when it adds something. */
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

const attention = (c: ConnectionView) => needsUser(c.status) || c.status === 'retrying' || c.status === 'degraded';

/** "30 min", "4 h", "1 day": how long Snooze keeps the notifications quiet. */
export function durationWords(minutes: number): string {
  if (minutes % 1440 === 0) return minutes === 1440 ? '1 day' : `${minutes / 1440} days`;
  if (minutes % 60 === 0) return `${minutes / 60} h`;
  return `${minutes} min`;
}

function useSnoozeMinutes(): number | null {
  const [minutes, setMinutes] = useState<number | null>(null);
  useEffect(() => {
    let live = true;
    void window.api.getSettings().then((s) => live && setMinutes(s.general.snoozeMinutes));
    return () => {
      live = false;
    };
  }, []);
  return minutes;
}

/** One connection: what is wrong (or that nothing is), which org, and its fixes. */
function ConnectionCard({ connection, keyRejected, paused, headingLevel, onSuccess }: { connection: ConnectionView; keyRejected: boolean; paused: boolean; headingLevel: 1 | 2; onSuccess: (r: ActionResult) => void }) {
  const now = useNow();
  const snoozeMinutes = useSnoozeMinutes();
  const [confirmDisconnect, setConfirmDisconnect] = useState(false);
  const sentence = explain(connection);
  const troubled = attention(connection);
  const Heading = headingLevel === 1 ? 'h1' : 'h2';
  const headingId = `heading-${connection.id}`;
  return (
    <section className="dialog-card" aria-labelledby={headingId}>
      <Heading id={headingId}>
        {connection.label} <StatusBadge status={connection.status} keyRejected={keyRejected} paused={paused} mode={connection.mode} />
      </Heading>
      <p className="org-line">
        {connection.username ?? 'Unknown user'} · {connection.instanceUrl} · {connection.crmType === 'SalesforceSandbox' ? 'sandbox org' : 'production org'}
      </p>
      <p>{sentence}</p>
      {connection.statusDetail && troubled && !sentence.includes(connection.statusDetail) && <p className="detail">{connection.statusDetail}</p>}
      <p className="hint">
        Now: {connectionStateLine(connection, now, { serviceKeyRejected: keyRejected, paused })}.{' '}
        {troubled && connection.since !== null ? <>Since {absoluteTime(connection.since)} ({relativeTime(connection.since, now)}). </> : null}
        Last verified {connection.lastVerifiedAt === null ? 'never' : relativeTime(connection.lastVerifiedAt, now)}.
      </p>
      <div className="row-actions">
        {connection.status === 'application-deleted' ? (
          <ActionButton variant="primary" run={() => window.api.registerAgain(connection.id)} busyLabel="Registering…" onDone={onSuccess}>
            Register again
          </ActionButton>
        ) : connection.mode !== 'manual' ? (
          <ActionButton variant={troubled ? 'primary' : 'plain'} run={() => window.api.reauthorize(connection.id)} busyLabel="Waiting for sign-in…" onDone={onSuccess}>
            Re-authorize
          </ActionButton>
        ) : null}
        {!needsUser(connection.status) && (
          <ActionButton run={() => window.api.refreshNow(connection.id)} busyLabel="Refreshing…" onDone={onSuccess}>
            {troubled ? 'Retry now' : 'Refresh now'}
          </ActionButton>
        )}
        {troubled && snoozeMinutes !== null && (
          <ActionButton run={() => window.api.snooze(connection.id)} resetKey={connection.status}>
            Snooze notifications for {durationWords(snoozeMinutes)}
          </ActionButton>
        )}
      </div>
      {connection.mode === 'manual' && <UpdateTokensForm connectionId={connection.id} onSuccess={onSuccess} />}
      <div className="row-actions">
        {confirmDisconnect ? (
          <>
            <span>Delete the Data2CRM application and remove the tokens?</span>
            <ActionButton variant="danger" run={() => window.api.disconnect(connection.id)} busyLabel="Disconnecting…" onDone={onSuccess}>
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
      </div>
    </section>
  );
}

const closeOnSuccess = (result: ActionResult) => {
  if (result.ok) void window.api.closeWindow();
};

function CloseButton() {
  return (
    <button type="button" onClick={() => void window.api.closeWindow()}>
      Close
    </button>
  );
}

/** The re-authorize / update dialog for one connection (a notification's or the tray's). */
export function ConnectionDialog({ connectionId }: { connectionId: string }) {
  const snapshot = useSnapshot();
  const connection = snapshot?.connections.find((c) => c.id === connectionId);
  useEffect(() => {
    if (connection) document.title = attention(connection) ? `${connection.label} needs attention` : connection.label;
  }, [connection]);
  if (!snapshot) return <p className="dialog">Loading…</p>;
  if (!connection) {
    return (
      <main className="dialog">
        <h1>Connection not found</h1>
        <p>It may have been disconnected.</p>
        <CloseButton />
      </main>
    );
  }
  return (
    <main className="dialog">
      <ConnectionCard connection={connection} keyRejected={snapshot.serviceKeyRejected} paused={snapshot.paused} headingLevel={1} onSuccess={closeOnSuccess} />
      <div className="row-actions">
        <CloseButton />
      </div>
    </main>
  );
}

/** A grouped notification ("2 connections need attention") opens every one of them here. */
export function AttentionDialog() {
  const snapshot = useSnapshot();
  useEffect(() => {
    document.title = 'Connections that need attention';
  }, []);
  if (!snapshot) return <p className="dialog">Loading…</p>;
  const list = snapshot.connections.filter(attention);
  return (
    <main className="dialog" aria-labelledby="attention-heading">
      <h1 id="attention-heading">{list.length === 0 ? 'Every connection is working' : list.length === 1 ? '1 connection needs attention' : `${list.length} connections need attention`}</h1>
      {list.map((c) => (
        <ConnectionCard key={c.id} connection={c} keyRejected={snapshot.serviceKeyRejected} paused={snapshot.paused} headingLevel={2} onSuccess={() => undefined} />
      ))}
      <div className="row-actions">
        <CloseButton />
      </div>
    </main>
  );
}
