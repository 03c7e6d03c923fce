import { useEffect, useRef, useState } from 'react';
import { LIMITS, type ConnectionView } from '../../../preload/contract';
import { needsUser, pastesNewTokens } from '../../../shared/state-words';
import { ActionButton, ResultText } from '../components/action-button';
import { ConfirmAction } from '../components/confirm-action';
import { ConnectionState, ownReason } from '../components/connection-state';
import { Field } from '../components/field';
import { capFor } from '../components/field-errors';
import { MODE_NAMES } from '../components/mode-names';
import { absoluteTime } from '../components/time';
import { useCardMessage } from '../components/use-card-message';
import { useRowDraft } from '../components/use-row-draft';
import { UpdateTokensForm } from '../dialog/update-tokens-form';
import { RowTime } from './row-time';

export interface CardProps {
  readonly connection: ConnectionView;
  readonly keyRejected: boolean;
  readonly paused: boolean;
}

/** What the card's message line belongs to: it leaves when any of these changes. */
const stateKeyOf = ({ connection: c, keyRejected, paused }: CardProps) => `${c.status}|${c.statusDetail ?? ''}|${keyRejected}|${paused}`;

/** The name, or the form that renames it (Escape or Cancel gives the name and focus back). */
function CardName({ connection }: { connection: ConnectionView }) {
  const [renaming, setRenaming] = useRowDraft(`${connection.id}:renaming`, false);
  const [name, setName] = useRowDraft(`${connection.id}:name`, connection.label);
  const [renameError, setRenameError] = useState<string | undefined>();
  const renameButton = useRef<HTMLButtonElement>(null);
  const field = useRef<HTMLFormElement>(null);
  const wasRenaming = useRef(renaming);
  useEffect(() => {
    if (renaming && !wasRenaming.current) field.current?.querySelector('input')?.focus();
    if (!renaming && wasRenaming.current) renameButton.current?.focus();
    wasRenaming.current = renaming;
  }, [renaming]);
  const stop = () => (setRenaming(false), setRenameError(undefined), setName(connection.label));
  if (!renaming) {
    return (
      <div className="connection-head">
        <h3 title={connection.label}>{connection.label}</h3>
        <button ref={renameButton} type="button" className="quiet" onClick={() => (setName(connection.label), setRenaming(true))} aria-label={`Rename ${connection.label}`}>
          Rename
        </button>
      </div>
    );
  }
  return (
    <form
      ref={field}
      className="inline-form connection-head"
      noValidate
      onKeyDown={(e) => e.key === 'Escape' && (e.stopPropagation(), stop())}
      onSubmit={(e) => {
        e.preventDefault();
        const trimmed = name.trim();
        if (!trimmed) return setRenameError('Give the connection a name (spaces alone are not a name).');
        void window.api.rename(connection.id, trimmed).then((r) => (r.ok ? (setRenaming(false), setRenameError(undefined)) : setRenameError(r.message)));
      }}
    >
      <Field label="New name" value={name} onChange={(e) => (setName(e.target.value), setRenameError(undefined))} maxLength={capFor(LIMITS.label)} error={renameError} />
      <span className="button-group">
        <button type="submit" className="primary">
          Save
        </button>
        <button type="button" onClick={stop}>
          Cancel
        </button>
      </span>
    </form>
  );
}

/**
 * A connection's card: its name, its state said once (badge, time, reason), the facts on demand,
 * the fix for its state one click away, and one message line for what the last action found.
 * The list's rows and the table's opened row both show it.
 */
export function ConnectionCard(props: CardProps) {
  const { connection, keyRejected, paused } = props;
  const [updating, setUpdating] = useRowDraft(`${connection.id}:updating`, false);
  const pasteButton = useRef<HTMLButtonElement>(null);
  const reason = ownReason(connection, keyRejected, paused);
  // Said already: the state's reason beside the badge, and (while the badge says the user key is
  // rejected) any failure, which can only be that.
  const message = useCardMessage(stateKeyOf(props), (failure) => keyRejected || failure === reason);
  const mustAct = needsUser(connection.status);
  const healthyish = connection.status === 'healthy' && !keyRejected;
  const closeUpdate = () => setUpdating(false);
  // The form closed: focus goes back to the button that opened it.
  const wasUpdating = useRef(updating);
  useEffect(() => {
    if (wasUpdating.current && !updating) pasteButton.current?.focus();
    wasUpdating.current = updating;
  }, [updating]);
  return (
    <>
      <CardName connection={connection} />
      <ConnectionState
        connection={connection}
        keyRejected={keyRejected}
        paused={paused}
        testId={`state-${connection.id}`}
        detail={<RowTime connection={connection} kind="line" keyRejected={keyRejected} paused={paused} sentence={reason !== null} />}
      />
      <details className="more">
        <summary>Details</summary>
        <dl className="facts">
          <dt>Org</dt>
          <dd>
            {connection.username ?? '—'} · {connection.instanceUrl} · {MODE_NAMES[connection.mode]}
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
        // The same form the dialog offers: pasted-token connections are fixed from their card too.
        <UpdateTokensForm connectionId={connection.id} withRefreshToken={connection.mode === 'external'} onSuccess={(r) => r.ok && closeUpdate()} onCancel={closeUpdate} report={message.report} />
      )}
      <div className="row-actions">
        {connection.status === 'application-deleted' && (
          <ActionButton run={() => window.api.registerAgain(connection.id)} busyLabel="Registering…" variant="primary" report={message.report}>
            Register again
          </ActionButton>
        )}
        {!pastesNewTokens(connection) && (
          <ActionButton run={() => window.api.reauthorize(connection.id)} busyLabel="Waiting for sign-in…" variant={connection.status === 'needs-reauthorization' ? 'primary' : 'plain'} report={message.report}>
            Re-authorize
          </ActionButton>
        )}
        {pastesNewTokens(connection) && !updating && (
          <button ref={pasteButton} type="button" className={mustAct ? 'primary' : undefined} onClick={() => setUpdating(true)}>
            Paste new tokens…
          </button>
        )}
        {/* Also while the key is rejected: a refresh that gets through shows the key works again. */}
        {!mustAct && (
          <ActionButton run={() => window.api.refreshNow(connection.id)} busyLabel="Refreshing…" report={message.report}>
            Refresh now
          </ActionButton>
        )}
        {connection.applicationKeyFingerprint && (
          <ActionButton run={() => window.api.copyApplicationKey(connection.id)} busyLabel="Copying…" report={message.report}>
            Copy application key
          </ActionButton>
        )}
        <ActionButton run={() => window.api.openInSalesforce(connection.id)} busyLabel="Opening…" report={message.report}>
          Open in Salesforce
        </ActionButton>
        <ConfirmAction
          label="Disconnect…"
          question="Delete the Data2CRM application and remove the tokens?"
          confirmLabel="Yes, disconnect"
          busyLabel="Disconnecting…"
          groupLabel={`Confirm disconnecting ${connection.label}`}
          draftKey={connection.id}
          run={() => window.api.disconnect(connection.id)}
          report={message.report}
        />
      </div>
      {message.shown && (
        <p className="card-message">
          <ResultText result={message.shown} />
        </p>
      )}
    </>
  );
}
