import { useEffect, useState } from 'react';
import { AttentionDialog, ConnectionDialog } from './dialog/connection-dialog';
import { SettingsWindow } from './settings/settings-window';

function route(): { screen: 'settings'; section?: 'account' | 'connect' } | { screen: 'dialog'; connectionId: string } | { screen: 'attention' } {
  if (window.location.hash === '#/attention') return { screen: 'attention' };
  const dialog = /^#\/dialog\/([a-z0-9-]{8,64})$/.exec(window.location.hash);
  if (dialog) return { screen: 'dialog', connectionId: dialog[1]! };
  if (window.location.hash === '#/settings/account') return { screen: 'settings', section: 'account' };
  return window.location.hash === '#/settings/connect' ? { screen: 'settings', section: 'connect' } : { screen: 'settings' };
}

/** One renderer, several windows: the hash names the screen (#/settings, #/settings/account, #/settings/connect, #/dialog/<id>, #/attention). */
export function App() {
  const [current, setCurrent] = useState(route);
  // "Connect Salesforce org…" from the tray opens the wizard once; the window's address stays #/settings.
  const connect = current.screen === 'settings' && current.section === 'connect';
  useEffect(() => {
    if (connect) history.replaceState(null, '', '#/settings');
  }, [connect]);
  useEffect(() => {
    const update = () => setCurrent(route());
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  if (current.screen === 'attention') return <AttentionDialog />;
  if (current.screen === 'dialog') return <ConnectionDialog connectionId={current.connectionId} />;
  return <SettingsWindow key={current.section ?? 'settings'} initialTab={current.section === 'account' ? 'account' : 'connections'} startWizard={current.section === 'connect'} />;
}
