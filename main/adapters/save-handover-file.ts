/** "Hand over to a keeper…": a save dialog, then the sealed package written as a new file only this user can read. */
import { dialog } from 'electron';
import { writeFile } from 'node:fs/promises';
import type { SaveHandoverFile } from '../core/ports.js';

export const saveHandoverFileWithDialog: SaveHandoverFile = async (sealed, suggestedName) => {
  const choice = await dialog.showSaveDialog({ title: 'Save the sealed connection', defaultPath: suggestedName, filters: [{ name: 'Sealed connection', extensions: ['d2ckeep'] }] });
  if (choice.canceled || !choice.filePath) return null;
  // The dialog asked before replacing a file; the sealed text opens only with the passphrase.
  await writeFile(choice.filePath, sealed, { mode: 0o600 });
  return choice.filePath;
};
