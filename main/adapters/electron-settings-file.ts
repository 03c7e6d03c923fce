/** The app's settings file: electron-store in the user-data folder, through the shared adapter. */
import { app } from 'electron';
import ElectronStore from 'electron-store';
import { join } from 'node:path';
import type { SettingsFile } from '../core/ports.js';
import { PRIVATE_FILE_MODE } from './private-files.js';
import { createStoreSettingsFile } from './store-settings-file.js';

export function createElectronSettingsFile(): SettingsFile {
  const cwd = app.getPath('userData');
  return createStoreSettingsFile(join(cwd, 'settings.json'), () => new ElectronStore<Record<string, unknown>>({ cwd, name: 'settings', clearInvalidConfig: false, configFileMode: PRIVATE_FILE_MODE }));
}
