import { useEffect, useState } from 'react';
import { ConnectionDialog } from './dialog/connection-dialog';
import { SettingsWindow } from './settings/settings-window';

function route(): { screen: 'settings'; section?: 'account' } | { screen: 'dialog'; connectionId: string } {
  const dialog = /^#\/dialog\/([a-z0-9-]{8,64})$/.exec(window.location.hash);
  if (dialog) return { screen: 'dialog', connectionId: dialog[1]! };
  return window.location.hash === '#/settings/account' ? { screen: 'settings', section: 'account' } : { screen: 'settings' };
}

/** One renderer, several windows: the hash names the screen (#/settings, #/settings/account, #/dialog/<id>). */
export function App() {
  const [current, setCurrent] = useState(route);
  useEffect(() => {
    const update = () => setCurrent(route());
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return current.screen === 'dialog' ? <ConnectionDialog connectionId={current.connectionId} /> : <SettingsWindow key={current.section ?? 'settings'} initialTab={current.section ?? 'connections'} />;
}
