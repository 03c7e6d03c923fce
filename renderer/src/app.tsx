import { SettingsWindow } from './settings/settings-window';

/** One renderer, several windows: the hash names the screen (#/settings for now). */
export function App() {
  return <SettingsWindow />;
}
