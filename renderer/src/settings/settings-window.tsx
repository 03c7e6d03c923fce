import { useRef, useState, type KeyboardEvent } from 'react';
import { damagedDatabaseLine } from '../../../shared/state-words';
import { StateDatabaseBanner } from '../components/state-database-banner';
import { useSnapshot } from '../use-snapshot';
import { AccountPanel } from './account-panel';
import { ActivityPanel } from './activity-panel';
import { ConnectionsPanel } from './connections-panel';
import { GeneralPanel } from './general-panel';
import { RefreshPanel } from './refresh-panel';
import { useAppInfo } from './use-app-info';

const TABS = [
  { id: 'connections', label: 'Connections' },
  { id: 'account', label: 'Account' },
  { id: 'refresh', label: 'Refresh' },
  { id: 'general', label: 'General' },
  { id: 'activity', label: 'Activity' },
] as const;
type TabId = (typeof TABS)[number]['id'];

export function SettingsWindow({ initialTab = 'connections', startWizard = false }: { initialTab?: TabId; startWizard?: boolean }) {
  const snapshot = useSnapshot();
  const info = useAppInfo();
  const [tab, setTab] = useState<TabId>(initialTab);
  const tabRefs = useRef<Array<HTMLButtonElement | null>>([]);

  // WAI-ARIA tabs: arrows move between tabs, Home/End jump.
  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const index = TABS.findIndex((t) => t.id === tab);
    const next = { ArrowRight: index + 1, ArrowDown: index + 1, ArrowLeft: index - 1, ArrowUp: index - 1, Home: 0, End: TABS.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const target = (next + TABS.length) % TABS.length;
    setTab(TABS[target]!.id);
    tabRefs.current[target]?.focus();
  }

  return (
    <div className="layout">
      <header className="topbar">
        <h1>Data2CRM Tray</h1>
        <p role="status" aria-live="polite" className={`status-line status-${snapshot?.status ?? 'ok'}`}>
          {snapshot ? snapshot.summary : 'Loading…'}
        </p>
      </header>
      {snapshot?.serviceKeyRejected && (
        <p className="banner banner-error" role="alert">
          Data2CRM rejected your user key, so automatic refresh is stopped.{' '}
          <button type="button" className="banner-action" onClick={() => setTab('account')}>
            Replace it under Account
          </button>
        </p>
      )}
      {snapshot?.damagedDatabase && (
        <p className="banner banner-warning" role="alert">
          {damagedDatabaseLine(snapshot.orphans.length)}{' '}
          {snapshot.orphans.length > 0 && tab !== 'connections' && (
            <button type="button" className="banner-action" onClick={() => setTab('connections')}>
              Show them
            </button>
          )}
        </p>
      )}
      {snapshot && <StateDatabaseBanner snapshot={snapshot} />}
      {snapshot?.storage.kind === 'session-only' && (
        <p className="banner banner-warning" role="alert">
          Storage degraded: {snapshot.storage.detail}
        </p>
      )}
      <div className="body">
        <nav aria-label="Settings sections">
          <div role="tablist" aria-orientation="vertical" className="tabs" onKeyDown={onKeyDown}>
            {TABS.map((t, i) => (
              <button
                key={t.id}
                ref={(el) => {
                  tabRefs.current[i] = el;
                }}
                role="tab"
                id={`tab-${t.id}`}
                aria-selected={tab === t.id}
                aria-controls={`panel-${t.id}`}
                tabIndex={tab === t.id ? 0 : -1}
                onClick={() => setTab(t.id)}
              >
                {t.label}
              </button>
            ))}
          </div>
        </nav>
        <main id={`panel-${tab}`} role="tabpanel" aria-labelledby={`tab-${tab}`} className="content" tabIndex={0}>
          {!snapshot ? (
            <p>Loading…</p>
          ) : tab === 'connections' ? (
            <ConnectionsPanel snapshot={snapshot} startWizard={startWizard} onOpenAccount={() => setTab('account')} />
          ) : tab === 'account' ? (
            <AccountPanel snapshot={snapshot} />
          ) : tab === 'refresh' ? (
            <RefreshPanel />
          ) : tab === 'general' ? (
            <GeneralPanel snapshot={snapshot} />
          ) : (
            <ActivityPanel />
          )}
        </main>
        {/* After the content in reading and Tab order; shown at the foot of the side bar. */}
        <footer className="app-foot">
          <p className="version">
            {info.state === 'ready' && (
              <>
                Version <span data-testid="app-version">{info.value.version}</span>
              </>
            )}
            {info.state === 'failed' && <span role="alert">Could not read the app version: {info.message}</span>}
          </p>
          {/* Quit lives here as well as in the tray: stock GNOME shows no tray icon. */}
          <button type="button" onClick={() => void window.api.quit()}>
            Quit Data2CRM Tray
          </button>
        </footer>
      </div>
    </div>
  );
}
