import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { Snapshot } from '../../../preload/contract';
import { ActionButton } from '../components/action-button';
import { RowDrafts } from '../components/use-row-draft';
import { ConnectWizard } from './connect-wizard';
import { filterConnections, type StateFilter } from './connection-order';
import { ConnectionsList } from './connections-list';
import { ConnectionsTable } from './connections-table';
import { OrphansList } from './orphans-list';
import { TakeHandback } from './take-handback';

/** Above this many connections the table is shown unless the user chose the list (the tray shows 12). */
export const TABLE_ABOVE = 12;

/** A fresh install: what to do, in the order it can be done (Connect needs the user key first). */
function FirstSteps({ userKeySet, onOpenAccount }: { userKeySet: boolean; onOpenAccount: () => void }) {
  return (
    <div className="first-steps">
      <p>No connections yet. Two steps:</p>
      <ol>
        <li className={userKeySet ? 'step-done' : undefined}>
          {userKeySet ? (
            'Your Data2CRM user key is saved (Account).'
          ) : (
            <>
              Save your Data2CRM user key under Account.{' '}
              <button type="button" className="link" onClick={onOpenAccount}>
                Open Account
              </button>
            </>
          )}
        </li>
        <li>Connect a Salesforce org (“Connect Salesforce org…” above): the app registers it with Data2CRM and keeps it alive.</li>
      </ol>
    </div>
  );
}

const STATE_FILTERS: ReadonlyArray<{ id: StateFilter; label: string }> = [
  { id: 'all', label: 'Every state' },
  { id: 'needs-you', label: 'Needs you' },
  { id: 'problems', label: 'Retrying or problem' },
  { id: 'healthy', label: 'Healthy' },
];

/** Finding one connection among many: words to look for (name, user, instance, mode, state) and a state group. */
function FindBar({ query, state, shown, total, onQuery, onState }: { query: string; state: StateFilter; shown: number; total: number; onQuery: (q: string) => void; onState: (s: StateFilter) => void }) {
  return (
    <div className="find-bar" role="search" aria-label="Find connections">
      <label className="find-field">
        <span>Find</span>
        <input type="search" value={query} onChange={(e) => onQuery(e.target.value)} placeholder="Name, user, instance or state" maxLength={200} onKeyDown={(e) => e.key === 'Escape' && query !== '' && (e.stopPropagation(), onQuery(''))} />
      </label>
      <label className="find-field">
        <span>State</span>
        <select value={state} onChange={(e) => onState(e.target.value as StateFilter)}>
          {STATE_FILTERS.map((f) => (
            <option key={f.id} value={f.id}>
              {f.label}
            </option>
          ))}
        </select>
      </label>
      <p className="find-count" role="status">
        {shown === total ? `${total.toLocaleString('en')} connections` : `${shown.toLocaleString('en')} of ${total.toLocaleString('en')} connections`}
      </p>
    </div>
  );
}

export function ConnectionsPanel({ snapshot, startWizard = false, onOpenAccount }: { snapshot: Snapshot; startWizard?: boolean; onOpenAccount: () => void }) {
  const [wizard, setWizard] = useState(startWizard);
  const [chosen, setChosen] = useState<'list' | 'table' | null>(null);
  const [query, setQuery] = useState('');
  const [stateFilter, setStateFilter] = useState<StateFilter>('all');
  // Half-done work on a card (an open question, a typed token) outlives the card leaving the DOM.
  const [drafts] = useState(() => new Map<string, unknown>());
  const connectButton = useRef<HTMLButtonElement>(null);
  const count = snapshot.connections.length;
  const view = chosen ?? (count > TABLE_ABOVE ? 'table' : 'list');
  const findable = count > TABLE_ABOVE;
  const shown = useMemo(() => (findable ? filterConnections(snapshot.connections, query, stateFilter) : snapshot.connections), [findable, snapshot.connections, query, stateFilter]);
  const focusConnect = useCallback(() => connectButton.current?.focus(), []);
  const closeWizard = useCallback(() => setWizard(false), []);
  // The wizard closed: focus goes back where it was opened from (the button is back by now).
  const wizardWasOpen = useRef(wizard);
  useEffect(() => {
    if (wizardWasOpen.current && !wizard) focusConnect();
    wizardWasOpen.current = wizard;
  }, [wizard, focusConnect]);
  // The last connection disconnected while the focus was on it: the focus goes to what comes next
  // (Connect), never to the page. (Opening the window with none takes no focus.)
  const hadConnections = useRef(count > 0);
  useLayoutEffect(() => {
    if (count === 0 && hadConnections.current && (document.activeElement === document.body || document.activeElement === null)) focusConnect();
    hadConnections.current = count > 0;
  }, [count, focusConnect]);
  useEffect(() => {
    for (const key of drafts.keys()) if (!snapshot.connections.some((c) => key.startsWith(`${c.id}:`))) drafts.delete(key);
  }, [drafts, snapshot.connections]);
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
            count > 0 && (
              <ActionButton run={() => window.api.setPaused(true)} busyLabel="Pausing…">
                Pause automatic refresh
              </ActionButton>
            )
          )}
          {!wizard && snapshot.stateDatabase?.problem !== 'newer' && (
            <button ref={connectButton} type="button" className="primary" onClick={() => setWizard(true)}>
              Connect Salesforce org…
            </button>
          )}
        </div>
      </div>
      {wizard && <ConnectWizard onClose={closeWizard} userKeySet={snapshot.userKey.set} onOpenAccount={onOpenAccount} />}
      {count > 1 && (
        <div className="list-tools">
          <div className="view-choice" role="group" aria-label="Show connections as">
            {(['list', 'table'] as const).map((v) => (
              <button key={v} type="button" aria-pressed={view === v} onClick={() => setChosen(v)}>
                {v === 'list' ? 'List' : 'Table'}
              </button>
            ))}
          </div>
          {findable && <FindBar query={query} state={stateFilter} shown={shown.length} total={count} onQuery={setQuery} onState={setStateFilter} />}
        </div>
      )}
      <RowDrafts.Provider value={drafts}>
        {count === 0 ? (
          // While the wizard is open it says what is missing (its banner leads to Account): the
          // steps would say it a second time, with a second "Open Account".
          !wizard && <FirstSteps userKeySet={snapshot.userKey.set} onOpenAccount={onOpenAccount} />
        ) : shown.length === 0 ? (
          <p className="empty">No connection matches. Clear the search or choose “Every state”.</p>
        ) : view === 'table' ? (
          <ConnectionsTable connections={shown} keyRejected={snapshot.serviceKeyRejected} paused={snapshot.paused} />
        ) : (
          <ConnectionsList connections={shown} keyRejected={snapshot.serviceKeyRejected} paused={snapshot.paused} onEmptied={focusConnect} />
        )}
      </RowDrafts.Provider>
      <OrphansList orphans={snapshot.orphans} />
      {snapshot.stateDatabase?.problem !== 'newer' && <TakeHandback />}
    </section>
  );
}
