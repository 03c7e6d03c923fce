import { useCallback, useState } from 'react';
import type { Snapshot } from '../../../preload/contract';
import { ActionButton } from '../components/action-button';
import { ConnectWizard } from './connect-wizard';
import { ConnectionsList } from './connections-list';
import { ConnectionsTable } from './connections-table';
import { OrphansList } from './orphans-list';

/** Above this many connections the table is shown unless the user chose the list (the tray shows 12). */
export const TABLE_ABOVE = 12;

export function ConnectionsPanel({ snapshot, startWizard = false, onOpenAccount }: { snapshot: Snapshot; startWizard?: boolean; onOpenAccount: () => void }) {
  const [wizard, setWizard] = useState(startWizard);
  const [chosen, setChosen] = useState<'list' | 'table' | null>(null);
  const [reveal, setReveal] = useState<string | null>(null);
  const count = snapshot.connections.length;
  const view = chosen ?? (count > TABLE_ABOVE ? 'table' : 'list');
  // Stable, so the table's memoized rows don't re-render for a new callback on every push.
  const showInList = useCallback((id: string) => {
    setReveal(id);
    setChosen('list');
  }, []);
  const revealed = useCallback(() => setReveal(null), []);
  return (
    <section aria-labelledby="connections-heading">
      <div className="section-head">
        <h2 id="connections-heading">Connections</h2>
        <div className="section-actions">
          {/* The tray's global actions, here too: on a desktop without a tray this window is all there is. */}
          {/* Nothing can be resumed or connected while the database is a newer version's: the banner says why. */}
          {snapshot.stateDatabase?.problem === 'newer' ? null : snapshot.paused ? (
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
          {!wizard && snapshot.stateDatabase?.problem !== 'newer' && (
            <button type="button" className="primary" onClick={() => setWizard(true)}>
              Connect Salesforce org…
            </button>
          )}
        </div>
      </div>
      {wizard && <ConnectWizard onClose={() => setWizard(false)} userKeySet={snapshot.userKey.set} onOpenAccount={onOpenAccount} />}
      {count > 1 && (
        <div className="view-choice" role="group" aria-label="Show connections as">
          {(['list', 'table'] as const).map((v) => (
            <button key={v} type="button" aria-pressed={view === v} onClick={() => setChosen(v)}>
              {v === 'list' ? 'List' : 'Table'}
            </button>
          ))}
        </div>
      )}
      {count === 0 ? (
        <p className="empty">No connections yet. Connect a Salesforce org to register it with Data2CRM.</p>
      ) : view === 'table' ? (
        <ConnectionsTable
          connections={snapshot.connections}
          keyRejected={snapshot.serviceKeyRejected}
          paused={snapshot.paused}
          onShow={showInList}
        />
      ) : (
        <ConnectionsList connections={snapshot.connections} keyRejected={snapshot.serviceKeyRejected} paused={snapshot.paused} reveal={reveal} onRevealed={revealed} />
      )}
      <OrphansList orphans={snapshot.orphans} />
    </section>
  );
}
