import { useEffect, useRef, useState } from 'react';
import type { ActionResult, ConnectionView } from '../../../preload/contract';
import { connectionStateDetail, needsUser, pastesNewTokens } from '../../../shared/state-words';
import { ActionButton, ResultText } from '../components/action-button';
import { ConfirmAction } from '../components/confirm-action';
import { asSentence, ConnectionState, ownReason } from '../components/connection-state';
import { MODE_NAMES } from '../components/mode-names';
import { absoluteTime, relativeTime } from '../components/time';
import { useCardMessage } from '../components/use-card-message';
import { useNow } from '../components/use-now';
import { StateDatabaseBanner } from '../components/state-database-banner';
import { useSnapshot } from '../use-snapshot';
import { HandoverSection } from './handover-section';
import { UpdateTokensForm } from './update-tokens-form';

/**
 * What happened and what to do, for a state whose reason the core did not give: said only when
 * the card has no reason of its own (a reason is the sentence, never said twice).
 */
function explain(c: ConnectionView): string | null {
  switch (c.status) {
    case 'needs-reauthorization':
      return pastesNewTokens(c) ? 'The pasted access token no longer works. Paste new tokens to keep this org connected.' : 'Salesforce no longer accepts this connection’s sign-in. Sign in again to keep it connected.';
    case 'application-deleted':
      return 'The application was deleted in Data2CRM. Register it again with the tokens stored on this computer, or disconnect.';
    case 'retrying':
    case 'degraded':
      return 'Refreshing keeps failing; the app keeps retrying on its own.';
    case 'refused-for-now':
      return 'Salesforce refuses this sign-in for now (outside the org’s login hours, or from an IP address it does not allow). The app retries by itself and recovers when Salesforce lets it in.';
    default:
      return null;
  }
}

// A connection a keeper renews is the keeper's to fix, unless its hand-over was left half-way.
const attention = (c: ConnectionView) => (c.keptBy ? Boolean(c.keptBy.stalled) : needsUser(c.status) || c.status === 'retrying' || c.status === 'degraded' || c.status === 'refused-for-now');

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

/** The times the state line does not already say: since when it is in trouble, when last verified. */
function timesLine(c: ConnectionView, detail: string, troubled: boolean, now: number): string {
  const since = troubled && c.since !== null ? `In this state since ${absoluteTime(c.since)} (${relativeTime(c.since, now)}).` : '';
  const verified = detail.startsWith('verified') ? '' : `Last verified ${c.lastVerifiedAt === null ? 'never' : relativeTime(c.lastVerifiedAt, now)}.`;
  return [since, verified].filter(Boolean).join(' ');
}

/**
 * One connection: its state said once (badge, reason, time), its fixes right below, then which
 * org it is. The actions come before the facts, so they stay in view in a small window or at
 * high zoom.
 */
function ConnectionCard({ connection, keyRejected, paused, headingLevel, onSuccess }: { connection: ConnectionView; keyRejected: boolean; paused: boolean; headingLevel: 1 | 2; onSuccess: (r: ActionResult) => void }) {
  const now = useNow();
  const snoozeMinutes = useSnoozeMinutes();
  const troubled = attention(connection);
  const mustAct = needsUser(connection.status);
  const [updating, setUpdating] = useState(pastesNewTokens(connection) && mustAct);
  const pasteButton = useRef<HTMLButtonElement>(null);
  const reason = ownReason(connection, keyRejected, paused);
  const message = useCardMessage(`${connection.status}|${connection.statusDetail ?? ''}|${keyRejected}|${paused}`, (failure) => keyRejected || failure === reason);
  const detail = connectionStateDetail(connection, now, { serviceKeyRejected: keyRejected, paused });
  const sentence = reason === null ? explain(connection) : null;
  const Heading = headingLevel === 1 ? 'h1' : 'h2';
  const headingId = `heading-${connection.id}`;
  const closeUpdate = () => setUpdating(false);
  const wasUpdating = useRef(updating);
  useEffect(() => {
    if (wasUpdating.current && !updating) pasteButton.current?.focus();
    wasUpdating.current = updating;
  }, [updating]);
  return (
    <section className="dialog-card" aria-labelledby={headingId}>
      <Heading id={headingId}>{connection.label}</Heading>
      <ConnectionState connection={connection} keyRejected={keyRejected} paused={paused} detail={reason === null ? detail : asSentence(detail)} />
      {sentence && <p>{sentence}</p>}
      {pastesNewTokens(connection) && updating && <UpdateTokensForm connectionId={connection.id} withRefreshToken={connection.mode === 'external'} onSuccess={onSuccess} onCancel={closeUpdate} report={message.report} />}
      {!connection.keptBy && (
        <div className="row-actions">
          {connection.status === 'application-deleted' ? (
            <ActionButton variant="primary" run={() => window.api.registerAgain(connection.id)} busyLabel="Registering…" report={message.report} onDone={onSuccess}>
              Register again
            </ActionButton>
          ) : !pastesNewTokens(connection) ? (
            <ActionButton variant={troubled ? 'primary' : 'plain'} run={() => window.api.reauthorize(connection.id)} busyLabel="Waiting for sign-in…" report={message.report} onDone={onSuccess}>
              Re-authorize
            </ActionButton>
          ) : (
            !updating && (
              <button ref={pasteButton} type="button" className={mustAct ? 'primary' : undefined} onClick={() => setUpdating(true)}>
                Paste new tokens…
              </button>
            )
          )}
          {!mustAct && (
            <ActionButton run={() => window.api.refreshNow(connection.id)} busyLabel="Refreshing…" report={message.report} onDone={onSuccess}>
              {troubled ? 'Retry now' : 'Refresh now'}
            </ActionButton>
          )}
          {troubled && snoozeMinutes !== null && (
            <ActionButton run={() => window.api.snooze(connection.id)} report={message.report}>
              Snooze notifications for {durationWords(snoozeMinutes)}
            </ActionButton>
          )}
        </div>
      )}
      <HandoverSection connection={connection} report={message.report} />
      {message.shown && (
        <p className="card-message">
          <ResultText result={message.shown} />
        </p>
      )}
      <p className="org-line">
        {connection.username ?? 'Unknown user'} · {connection.instanceUrl} · {connection.crmType === 'SalesforceSandbox' ? 'sandbox org' : 'production org'} · {MODE_NAMES[connection.mode]}
      </p>
      <p className="hint">{timesLine(connection, detail, troubled, now)}</p>
      {!connection.keptBy && (
        <div className="row-actions">
          <ConfirmAction
            label="Disconnect…"
            question="Delete the Data2CRM application and remove the tokens?"
            confirmLabel="Yes, disconnect"
            busyLabel="Disconnecting…"
            groupLabel={`Confirm disconnecting ${connection.label}`}
            draftKey={connection.id}
            run={async () => {
              const result = await window.api.disconnect(connection.id);
              onSuccess(result);
              return result;
            }}
            report={message.report}
          />
        </div>
      )}
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

/** Escape closes the dialog's window, once nothing inside it (a question, a form) took the key. */
function useEscapeCloses(): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && !event.defaultPrevented) void window.api.closeWindow();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

/** The re-authorize / update dialog for one connection (a notification's or the tray's). */
export function ConnectionDialog({ connectionId }: { connectionId: string }) {
  const snapshot = useSnapshot();
  const connection = snapshot?.connections.find((c) => c.id === connectionId);
  useEscapeCloses();
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
      <StateDatabaseBanner snapshot={snapshot} />
      <ConnectionCard connection={connection} keyRejected={snapshot.serviceKeyRejected} paused={snapshot.paused} headingLevel={1} onSuccess={closeOnSuccess} />
      <div className="row-actions dialog-foot">
        <CloseButton />
      </div>
    </main>
  );
}

/** A grouped notification ("2 connections need attention") opens every one of them here. */
export function AttentionDialog() {
  const snapshot = useSnapshot();
  useEscapeCloses();
  useEffect(() => {
    document.title = 'Connections that need attention';
  }, []);
  if (!snapshot) return <p className="dialog">Loading…</p>;
  const list = snapshot.connections.filter(attention);
  return (
    <main className="dialog" aria-labelledby="attention-heading">
      <StateDatabaseBanner snapshot={snapshot} />
      <h1 id="attention-heading">{list.length === 0 ? 'Every connection is working' : list.length === 1 ? '1 connection needs attention' : `${list.length} connections need attention`}</h1>
      {list.map((c) => (
        <ConnectionCard key={c.id} connection={c} keyRejected={snapshot.serviceKeyRejected} paused={snapshot.paused} headingLevel={2} onSuccess={() => undefined} />
      ))}
      <div className="row-actions dialog-foot">
        <CloseButton />
      </div>
    </main>
  );
}
