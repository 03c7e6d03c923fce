import type { OrphanView } from '../../../preload/contract';
import { ActionButton } from '../components/action-button';
import { ConfirmAction } from '../components/confirm-action';

/** Keychain entries without a connection: never deleted silently, so the user decides. */
function OrphanRow({ orphan }: { orphan: OrphanView }) {
  const name = orphan.label ?? (orphan.readable && !orphan.recognized ? 'Unrecognized keychain entry' : 'Unnamed keychain entry');
  // An entry the app does not recognize is only deleted here: nothing of it is sent anywhere.
  const question = !orphan.recognized ? 'Delete the entry from this computer?' : orphan.hasRefreshToken ? 'Revoke its sign-in and delete the entry?' : 'Delete the entry?';
  return (
    <li className="connection" aria-label={name}>
      <div className="connection-head">
        <h3>{name}</h3>
      </div>
      <dl className="facts">
        <dt>Org</dt>
        <dd>
          {orphan.username ?? '—'} · {orphan.instanceUrl ?? 'unknown instance'}
        </dd>
        <dt>Why</dt>
        <dd>{orphan.detail}</dd>
      </dl>
      <div className="row-actions">
        {orphan.recognized && (
          <ActionButton run={() => window.api.recoverOrphan(orphan.id)} variant="primary" busyLabel="Recovering…" disabled={!orphan.readable}>
            Recover
          </ActionButton>
        )}
        <ConfirmAction label="Delete…" question={question} confirmLabel="Yes, delete" busyLabel="Deleting…" groupLabel={`Confirm deleting ${name}`} draftKey={`orphan:${orphan.id}`} run={() => window.api.deleteOrphan(orphan.id)} />
      </div>
    </li>
  );
}

export function OrphansList({ orphans }: { orphans: readonly OrphanView[] }) {
  if (orphans.length === 0) return null;
  return (
    <section aria-labelledby="orphans-heading" className="orphans">
      <h3 id="orphans-heading">Found in the keychain</h3>
      <p className="empty">These saved sign-ins have no connection (the app stopped while connecting, or a damaged settings file set them aside). Recover one to use it again, or delete it.</p>
      <ul className="connections">
        {orphans.map((o) => (
          <OrphanRow key={o.id} orphan={o} />
        ))}
      </ul>
    </section>
  );
}
