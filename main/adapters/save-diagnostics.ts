/** "Export diagnostics…": a save dialog, then the already-redacted JSON written where the user chose. */
import { dialog } from 'electron';
import { writeFile } from 'node:fs/promises';
import type { SaveDiagnostics } from '../core/ports.js';

export const saveDiagnosticsWithDialog: SaveDiagnostics = async (json) => {
  const choice = await dialog.showSaveDialog({ title: 'Export diagnostics', defaultPath: `data2crm-tray-diagnostics-${new Date().toISOString().slice(0, 10)}.json`, filters: [{ name: 'JSON', extensions: ['json'] }] });
  if (choice.canceled || !choice.filePath) return null;
  await writeFile(choice.filePath, json, { mode: 0o600 });
  return choice.filePath;
};
