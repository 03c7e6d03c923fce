import { memo, useState } from 'react';
import type { ConnectionView, Snapshot } from '../../../preload/contract';
import { ActionButton } from '../components/action-button';
import { Field } from '../components/field';
import { StatusBadge } from '../components/status-badge';
import { absoluteTime, relativeTime } from '../components/time';
import { ConnectWizard } from './connect-wizard';
import { OrphansList } from './orphans-list';

const ConnectionRow = memo(function ConnectionRow({ connection, keyRejected }: { connection: ConnectionView; keyRejected: boolean }) {
  const [renaming, setRenaming] = useState(false);
  const [name, setName] = useState(connection.label);
  const [confirming, setConfirming] = useState(false);
  const [updating, setUpdating] = useState(false);
  const [tokens, setTokens] = useState({ access: '', refresh: '' });
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
      {updating && (
        // What the tray's "Re-authorize…" offers a pasted-token connection (its dialog), here in the row.
        <form className="inline-form" onSubmit={(e) => e.preventDefault()} aria-label={`New tokens for ${connection.label}`}>
          <Field label="New access token" type="password" value={tokens.access} onChange={(e) => setTokens({ ...tokens, access: e.target.value })} autoComplete="off" />
          <Field label="New refresh token (optional)" type="password" value={tokens.refresh} onChange={(e) => setTokens({ ...tokens, refresh: e.target.value })} autoComplete="off" />
          <ActionButton
            run={() => window.api.updateTokens(connection.id, tokens.access, tokens.refresh || undefined)}
            busyLabel="Checking with Salesforce…"
            disabled={!tokens.access}
            onDone={(r) => {
              if (r.ok) {
                setTokens({ access: '', refresh: '' });
                setUpdating(false);
              }
            }}
          >
            Update
          </ActionButton>
          <button type="button" onClick={() => setUpdating(false)}>
            Cancel
          </button>
        </form>
      )}
      <div className="row-actions">
        <ActionButton run={() => window.api.refreshNow(connection.id)} busyLabel="Refreshing…" disabled={needsUser}>
          Refresh now
        </ActionButton>
        {connection.status === 'application-deleted' && (
          <ActionButton run={() => window.api.registerAgain(connection.id)} busyLabel="Registering…" variant="primary">
            Register again
          </ActionButton>
        )}
        <ActionButton run={() => window.api.openInSalesforce(connection.id)} busyLabel="Opening…">
          Open in Salesforce
        </ActionButton>
        {connection.mode !== 'manual' && (
          <ActionButton run={() => window.api.reauthorize(connection.id)} busyLabel="Waiting for sign-in…" variant={needsUser ? 'primary' : 'plain'}>
            Re-authorize
          </ActionButton>
        )}
        {connection.mode === 'manual' && !updating && (
          <button type="button" className={needsUser ? 'primary' : undefined} onClick={() => setUpdating(true)}>
            Update tokens…
          </button>
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
        <div className="section-actions">
          {/* The tray's global actions, here too: on a desktop without a tray this window is all there is. */}
          {snapshot.paused ? (
            <ActionButton run={() => window.api.setPaused(false)} busyLabel="Resuming…">
              Resume automatic refresh
            </ActionButton>
          ) : (
            snapshot.connections.length > 0 && (
              <ActionButton run={() => window.api.setPaused(true)} busyLabel="Pausing…">
                Pause automatic refresh
              </ActionButton>
            )
          )}
          {!wizard && (
            <button type="button" className="primary" onClick={() => setWizard(true)}>
              Connect Salesforce org…
            </button>
          )}
        </div>
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
      <OrphansList orphans={snapshot.orphans} />
    </section>
  );
}
