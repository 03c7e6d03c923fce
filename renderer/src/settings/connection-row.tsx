import { memo, useState } from 'react';
import type { ConnectionView } from '../../../preload/contract';
import { needsUser } from '../../../shared/state-words';
import { ActionButton } from '../components/action-button';
import { ConfirmAction } from '../components/confirm-action';
import { Field } from '../components/field';
import { UpdateTokensForm } from '../dialog/update-tokens-form';
import { countRender } from '../components/render-probe';
import { StatusBadge } from '../components/status-badge';
import { absoluteTime } from '../components/time';
import { RowTime } from './row-time';

const MODE_WORDS: Record<ConnectionView['mode'], string> = { internal: 'Data2CRM renews the sign-in', external: 'own connected app', manual: 'pasted tokens' };

export interface RowProps {
  readonly connection: ConnectionView;
  readonly keyRejected: boolean;
  readonly paused: boolean;
  /** Place in the whole list (1-based), for screen readers: only some rows are in the DOM. */
  readonly position: number;
  readonly total: number;
  /** The row's index for the virtualizer, its measuring ref, and extra space above it. */
  readonly index: number;
  readonly measure: (element: HTMLElement | null) => void;
  readonly jump: number;
}

/** One status line per row, the facts on demand, and the fix for its state one click away. */
export const ConnectionRow = memo(function ConnectionRow({ connection, keyRejected, paused, position, total, index, measure, jump }: RowProps) {
  countRender(`row:${connection.id}`);
  const [renaming, setRenaming] = useState(false);
  const [name, setName] = useState(connection.label);
  const [renameError, setRenameError] = useState<string | undefined>();
  const [updating, setUpdating] = useState(false);
  const mustAct = needsUser(connection.status);
  const healthyish = connection.status === 'healthy' && !keyRejected;
  return (
    <li
      ref={measure}
      data-index={index}
      data-key={connection.id}
      className="connection"
      aria-label={connection.label}
      aria-posinset={position}
      aria-setsize={total}
      tabIndex={-1}
      style={jump > 0 ? { marginTop: jump } : undefined}
    >
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
        <RowTime connection={connection} kind="line" keyRejected={keyRejected} paused={paused} />
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
          <dd>
            {connection.lastVerifiedAt === null ? (
              'never'
            ) : (
              <>
                {absoluteTime(connection.lastVerifiedAt)} (<RowTime connection={connection} kind="verified" keyRejected={keyRejected} paused={paused} />)
              </>
            )}
          </dd>
          {connection.expiresAt !== null && healthyish && (
            <>
              <dt>{connection.mode === 'manual' ? 'Token expires' : 'Token renewed by'}</dt>
              <dd>
                {absoluteTime(connection.expiresAt)} (<RowTime connection={connection} kind="expires" keyRejected={keyRejected} paused={paused} />){connection.lifetimeLine && ` · ${connection.lifetimeLine}`}
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
        <UpdateTokensForm connectionId={connection.id} onSuccess={(r) => r.ok && setUpdating(false)} onCancel={() => setUpdating(false)} />
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
}, sameRow);

/**
 * Pushes bring fresh objects (a whole snapshot) or keep unchanged ones (deltas): either way a row
 * re-renders only when something it shows changed. Its clock-bound texts are RowTime children
 * that follow the list's clock on their own, so a minute passing never re-renders the row.
 */
function sameRow(a: RowProps, b: RowProps): boolean {
  if (a.keyRejected !== b.keyRejected || a.paused !== b.paused || a.position !== b.position || a.total !== b.total || a.index !== b.index || a.measure !== b.measure || a.jump !== b.jump) return false;
  if (a.connection === b.connection) return true;
  const x = a.connection;
  const y = b.connection;
  const keys = Object.keys(x) as Array<keyof ConnectionView>;
  return keys.length === Object.keys(y).length && keys.every((k) => x[k] === y[k]);
}
