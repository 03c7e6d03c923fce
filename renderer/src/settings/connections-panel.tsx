import { memo, useState } from 'react';
import type { ConnectionView, Snapshot } from '../../../preload/contract';
import { ActionButton } from '../components/action-button';
import { StatusBadge } from '../components/status-badge';
import { absoluteTime, relativeTime } from '../components/time';
import { ConnectWizard } from './connect-wizard';

const ConnectionRow = memo(function ConnectionRow({ connection, keyRejected }: { connection: ConnectionView; keyRejected: boolean }) {
  const [renaming, setRenaming] = useState(false);
  const [name, setName] = useState(connection.label);
  const [confirming, setConfirming] = useState(false);
  const needsUser = connection.status === 'needs-reauthorization' || connection.status === 'application-deleted';
  return (
    <li className="connection" aria-label={connection.label}>
      <div className="connection-head">
        {renaming ? (
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              void window.api.rename(connection.id, name).then((r) => r.ok && setRenaming(false));
            }}
          >
            <label>
              New name <input value={name} onChange={(e) => setName(e.target.value)} maxLength={100} required />
            </label>
            <button type="submit" className="primary">
              Save
            </button>
            <button type="button" onClick={() => setRenaming(false)}>
              Cancel
            </button>
          </form>
        ) : (
          <h3>{connection.label}</h3>
        )}
        <StatusBadge status={connection.status} keyRejected={keyRejected} />
      </div>
      <dl className="facts">
        <dt>State</dt>
        <dd>{connection.stateLine}</dd>
        {connection.statusDetail && (
          <>
            <dt>Why</dt>
            <dd>{connection.statusDetail}</dd>
          </>
        )}
        <dt>Org</dt>
        <dd>
          {connection.username ?? '—'} · {connection.instanceUrl} · {connection.mode === 'internal' ? 'Data2CRM refreshes' : connection.mode === 'external' ? 'own connected app' : 'pasted tokens'}
        </dd>
        <dt>Verified</dt>
        <dd title={absoluteTime(connection.lastVerifiedAt)}>{relativeTime(connection.lastVerifiedAt)}</dd>
        {connection.expiresAt !== null && (
          <>
            <dt>Expires</dt>
            <dd title={absoluteTime(connection.expiresAt)}>
              {relativeTime(connection.expiresAt)}
              {connection.lifetimeLine && ` · ${connection.lifetimeLine}`}
            </dd>
          </>
        )}
        <dt>Application key</dt>
        <dd>
          <code data-testid={`app-key-${connection.id}`}>{connection.applicationKeyFingerprint ?? '—'}</code>{' '}
          {connection.applicationKeyFingerprint && (
            <ActionButton run={() => window.api.copyApplicationKey(connection.id)} busyLabel="Copying…">
              Copy key
            </ActionButton>
          )}
        </dd>
      </dl>
      <div className="row-actions">
        <ActionButton run={() => window.api.refreshNow(connection.id)} busyLabel="Refreshing…" disabled={needsUser}>
          Refresh now
        </ActionButton>
        {connection.mode !== 'manual' && (
          <ActionButton run={() => window.api.reauthorize(connection.id)} busyLabel="Waiting for sign-in…" variant={needsUser ? 'primary' : 'plain'}>
            Re-authorize
          </ActionButton>
        )}
        {!renaming && (
          <button type="button" onClick={() => setRenaming(true)}>
            Rename
          </button>
        )}
        {confirming ? (
          <span className="confirm" role="group" aria-label={`Confirm disconnecting ${connection.label}`}>
            <span>Delete the Data2CRM application and remove the tokens?</span>
            <ActionButton run={() => window.api.disconnect(connection.id)} variant="danger" busyLabel="Disconnecting…">
              Yes, disconnect
            </ActionButton>
            <button type="button" onClick={() => setConfirming(false)}>
              Keep it
            </button>
          </span>
        ) : (
          <button type="button" className="danger" onClick={() => setConfirming(true)}>
            Disconnect…
          </button>
        )}
      </div>
    </li>
  );
}, sameConnection);

/** Every push brings fresh objects: re-render a row only when something it shows changed. */
function sameConnection(a: { connection: ConnectionView }, b: { connection: ConnectionView }): boolean {
  const x = a.connection;
  const y = b.connection;
  return (Object.keys(x) as Array<keyof ConnectionView>).every((k) => x[k] === y[k]);
}

export function ConnectionsPanel({ snapshot }: { snapshot: Snapshot }) {
  const [wizard, setWizard] = useState(false);
  return (
    <section aria-labelledby="connections-heading">
      <div className="section-head">
        <h2 id="connections-heading">Connections</h2>
        {!wizard && (
          <button type="button" className="primary" onClick={() => setWizard(true)}>
            Connect Salesforce org…
          </button>
        )}
      </div>
      {wizard && <ConnectWizard onClose={() => setWizard(false)} userKeySet={snapshot.userKey.set} />}
      {snapshot.connections.length === 0 ? (
        <p className="empty">No connections yet. Connect a Salesforce org to register it with Data2CRM.</p>
      ) : (
        <ul className="connections">
          {snapshot.connections.map((c) => (
            <ConnectionRow key={c.id} connection={c} keyRejected={snapshot.serviceKeyRejected} />
          ))}
        </ul>
      )}
    </section>
  );
}
