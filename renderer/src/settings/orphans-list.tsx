import { useState } from 'react';
import type { OrphanView } from '../../../preload/contract';
import { ActionButton } from '../components/action-button';

/** Keychain entries without a connection: never deleted silently, so the user decides. */
function OrphanRow({ orphan }: { orphan: OrphanView }) {
  const [confirming, setConfirming] = useState(false);
  const name = orphan.label ?? 'Unnamed keychain entry';
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
        <ActionButton run={() => window.api.recoverOrphan(orphan.id)} variant="primary" busyLabel="Recovering…" disabled={!orphan.readable}>
          Recover
        </ActionButton>
        {confirming ? (
          <span className="confirm" role="group" aria-label={`Confirm deleting ${name}`}>
            <span>{orphan.hasRefreshToken ? 'Revoke its sign-in and delete the entry?' : 'Delete the entry?'}</span>
            <ActionButton run={() => window.api.deleteOrphan(orphan.id)} variant="danger" busyLabel="Deleting…">
              Yes, delete
            </ActionButton>
            <button type="button" onClick={() => setConfirming(false)}>
              Keep it
            </button>
          </span>
        ) : (
          <button type="button" className="danger" onClick={() => setConfirming(true)}>
            Delete…
          </button>
        )}
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
