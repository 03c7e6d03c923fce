import { memo, useState } from 'react';
import type { ConnectionView, Snapshot } from '../../../preload/contract';
import { ActionButton } from '../components/action-button';
import { ConfirmAction } from '../components/confirm-action';
import { Field } from '../components/field';
import { StatusBadge } from '../components/status-badge';
import { absoluteTime, relativeTime } from '../components/time';
import { useNow } from '../components/use-now';
import { connectionStateLine, needsUser } from '../../../preload/state-words';
import { ConnectWizard } from './connect-wizard';
import { OrphansList } from './orphans-list';

const MODE_WORDS: Record<ConnectionView['mode'], string> = { internal: 'Data2CRM renews the sign-in', external: 'own connected app', manual: 'pasted tokens' };

/** One status line per row, the facts on demand, and the fix for its state one click away. */
const ConnectionRow = memo(function ConnectionRow({ connection, keyRejected, paused, now }: { connection: ConnectionView; keyRejected: boolean; paused: boolean; now: number }) {
  const [renaming, setRenaming] = useState(false);
  const [name, setName] = useState(connection.label);
  const [renameError, setRenameError] = useState<string | undefined>();
  const [updating, setUpdating] = useState(false);
  const [tokens, setTokens] = useState({ access: '', refresh: '' });
  const mustAct = needsUser(connection.status);
  const healthyish = connection.status === 'healthy' && !keyRejected;
  return (
    <li className="connection" aria-label={connection.label}>
      <div className="connection-head">
        {renaming ? (
          <form
            className="inline-form"
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              const trimmed = name.trim();
              if (!trimmed) return setRenameError('Give the connection a name (spaces alone are not a name).');
              void window.api.rename(connection.id, trimmed).then((r) => (r.ok ? (setRenaming(false), setRenameError(undefined)) : setRenameError(r.message)));
            }}
          >
            <Field label="New name" value={name} onChange={(e) => (setName(e.target.value), setRenameError(undefined))} maxLength={100} error={renameError} />
            <button type="submit" className="primary">
              Save
            </button>
            <button type="button" onClick={() => (setRenaming(false), setRenameError(undefined), setName(connection.label))}>
              Cancel
            </button>
          </form>
        ) : (
          <h3>{connection.label}</h3>
        )}
        <StatusBadge status={connection.status} keyRejected={keyRejected} paused={paused} mode={connection.mode} />
      </div>
      <p className="state-line" data-testid={`state-${connection.id}`} title={connection.lastVerifiedAt === null ? undefined : `Last verified ${absoluteTime(connection.lastVerifiedAt)}`}>
        {connectionStateLine(connection, now, { serviceKeyRejected: keyRejected, paused })}
        {connection.statusDetail && !healthyish && <span className="why"> — {connection.statusDetail}</span>}
      </p>
      <details className="more">
        <summary>Details</summary>
        <dl className="facts">
          <dt>Org</dt>
          <dd>
            {connection.username ?? '—'} · {connection.instanceUrl} · {MODE_WORDS[connection.mode]}
          </dd>
          <dt>Last verified</dt>
          <dd>{connection.lastVerifiedAt === null ? 'never' : `${absoluteTime(connection.lastVerifiedAt)} (${relativeTime(connection.lastVerifiedAt, now)})`}</dd>
          {connection.expiresAt !== null && healthyish && (
            <>
              <dt>{connection.mode === 'manual' ? 'Token expires' : 'Token renewed by'}</dt>
              <dd>
                {absoluteTime(connection.expiresAt)} ({relativeTime(connection.expiresAt, now)}){connection.lifetimeLine && ` · ${connection.lifetimeLine}`}
              </dd>
            </>
          )}
          <dt>Application key</dt>
          <dd>
            <code data-testid={`app-key-${connection.id}`}>{connection.applicationKeyFingerprint ?? '—'}</code>
          </dd>
        </dl>
      </details>
      {updating && (
        // The same form the dialog offers: pasted-token connections are fixed from their row too.
        <form className="inline-form" onSubmit={(e) => e.preventDefault()} aria-label={`New tokens for ${connection.label}`}>
          <Field label="New access token" type="password" value={tokens.access} onChange={(e) => setTokens({ ...tokens, access: e.target.value })} autoComplete="off" maxLength={4096} />
          <Field label="New refresh token (optional)" type="password" value={tokens.refresh} onChange={(e) => setTokens({ ...tokens, refresh: e.target.value })} autoComplete="off" maxLength={4096} />
          <ActionButton
            run={() => window.api.updateTokens(connection.id, tokens.access, tokens.refresh || undefined)}
            busyLabel="Checking with Salesforce…"
            disabled={!tokens.access.trim()}
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
        {connection.status === 'application-deleted' && (
          <ActionButton run={() => window.api.registerAgain(connection.id)} busyLabel="Registering…" variant="primary">
            Register again
          </ActionButton>
        )}
        {connection.mode !== 'manual' && (
          <ActionButton run={() => window.api.reauthorize(connection.id)} busyLabel="Waiting for sign-in…" variant={connection.status === 'needs-reauthorization' ? 'primary' : 'plain'}>
            Re-authorize
          </ActionButton>
        )}
        {connection.mode === 'manual' && !updating && (
          <button type="button" className={mustAct ? 'primary' : undefined} onClick={() => setUpdating(true)}>
            Paste new tokens…
          </button>
        )}
        {!mustAct && (
          <ActionButton run={() => window.api.refreshNow(connection.id)} busyLabel="Refreshing…">
            Refresh now
          </ActionButton>
        )}
        {connection.applicationKeyFingerprint && (
          <ActionButton run={() => window.api.copyApplicationKey(connection.id)} busyLabel="Copying…" resetKey={connection.status}>
            Copy application key
          </ActionButton>
        )}
        <ActionButton run={() => window.api.openInSalesforce(connection.id)} busyLabel="Opening…">
          Open in Salesforce
        </ActionButton>
        {!renaming && (
          <button type="button" onClick={() => (setName(connection.label), setRenaming(true))}>
            Rename
          </button>
        )}
        <ConfirmAction
          label="Disconnect…"
          question="Delete the Data2CRM application and remove the tokens?"
          confirmLabel="Yes, disconnect"
          busyLabel="Disconnecting…"
          groupLabel={`Confirm disconnecting ${connection.label}`}
          run={() => window.api.disconnect(connection.id)}
        />
      </div>
    </li>
  );
}, sameConnection);

/** Every push brings fresh objects: re-render a row only when something it shows changed. */
type RowProps = { connection: ConnectionView; keyRejected: boolean; paused: boolean; now: number };
function sameConnection(a: RowProps, b: RowProps): boolean {
  if (a.keyRejected !== b.keyRejected || a.paused !== b.paused || Math.floor(a.now / 60_000) !== Math.floor(b.now / 60_000)) return false;
  const x = a.connection;
  const y = b.connection;
  return (Object.keys(x) as Array<keyof ConnectionView>).every((k) => x[k] === y[k]);
}

export function ConnectionsPanel({ snapshot, startWizard = false, onOpenAccount }: { snapshot: Snapshot; startWizard?: boolean; onOpenAccount: () => void }) {
  const [wizard, setWizard] = useState(startWizard);
  const now = useNow();
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
      {wizard && <ConnectWizard onClose={() => setWizard(false)} userKeySet={snapshot.userKey.set} onOpenAccount={onOpenAccount} />}
      {snapshot.connections.length === 0 ? (
        <p className="empty">No connections yet. Connect a Salesforce org to register it with Data2CRM.</p>
      ) : (
        <ul className="connections">
          {snapshot.connections.map((c) => (
            <ConnectionRow key={c.id} connection={c} keyRejected={snapshot.serviceKeyRejected} paused={snapshot.paused} now={now} />
          ))}
        </ul>
      )}
      <OrphansList orphans={snapshot.orphans} />
    </section>
  );
}
