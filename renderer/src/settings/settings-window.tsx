import { useAppInfo } from './use-app-info';
import { useAppStatus } from './use-app-status';

export function SettingsWindow() {
  const info = useAppInfo();
  const status = useAppStatus();
  return (
    <div className="layout">
      <header className="topbar">
        <h1>Settings</h1>
        <p role="status" aria-live="polite" className="status-line">
          {status ? status.summary : ''}
        </p>
      </header>
      <main className="content">
        <section aria-labelledby="about-heading" className="card">
          <h2 id="about-heading">About</h2>
          {info.state === 'loading' && <p>Loading…</p>}
          {info.state === 'failed' && <p role="alert">Could not read the app version: {info.message}</p>}
          {info.state === 'ready' && (
            <dl className="facts">
              <dt>Application</dt>
              <dd>{info.value.name}</dd>
              <dt>Version</dt>
              <dd data-testid="app-version">{info.value.version}</dd>
            </dl>
          )}
        </section>
      </main>
    </div>
  );
}
