import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// Lints source text as if it lived at the given path, with the project's own eslint.config.js.
async function lintAs(filePath: string, code: string) {
  const [result] = await new ESLint().lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('lint fences', () => {
  it.each([
    ['main/core/probe.ts', "import { app } from 'electron';\nexport const v = app;\n"],
    ['main/core/probe.ts', "import keytar from 'keytar';\nexport const k = keytar;\n"],
    ['main/core/probe.ts', "import Store from 'electron-store';\nexport const s = Store;\n"],
    ['main/ipc/probe.ts', "import type { IpcMainEvent } from 'electron';\nexport type E = IpcMainEvent;\n"],
    ['preload/contract.ts', "import { ipcRenderer } from 'electron';\nexport const i = ipcRenderer;\n"],
    ['renderer/src/probe.tsx', "import { shell } from 'electron/renderer';\nexport const s = shell;\n"],
    ['shared/probe.ts', "import { app } from 'electron';\nexport const a = app;\n"],
    ['cli/probe.ts', "import keytar from 'keytar';\nexport const k = keytar;\n"],
  ])('refuses Electron-world imports in %s', async (filePath, code) => {
    const messages = await lintAs(filePath, code);
    expect(messages.join('\n')).toMatch(/no-restricted-imports: .*Only main\/adapters/);
  });

  it('keeps the command line a client: no main/ in cli/', async () => {
    for (const from of ['../main/core/index.js', '../main/adapters/local-api-server.js']) expect((await lintAs('cli/probe.ts', `import * as m from '${from}';\nexport const x = m;\n`)).join('\n'), from).toMatch(/no-restricted-imports: .*talks to the app over the local API/);
    expect(await lintAs('cli/probe.ts', "import { localApiSocketPath } from '../shared/local-api.js';\nexport const p = localApiSocketPath;\n")).toEqual([]);
  });

  it('refuses raw ipcMain and webContents.send outside the IPC wrappers', async () => {
    const messages = await lintAs('main/adapters/probe.ts', "import { ipcMain, BrowserWindow } from 'electron';\nipcMain.handle('x', () => 1);\nBrowserWindow.getAllWindows()[0]?.webContents.send('x', 1);\n");
    expect(messages.filter((m) => m.includes('typed IPC wrappers')).length).toBeGreaterThanOrEqual(2);
  });

  it('lets adapters import electron, and the wrappers speak IPC', async () => {
    expect(await lintAs('main/adapters/probe.ts', "import { app } from 'electron';\nexport const a = app;\n")).toEqual([]);
    expect(await lintAs('main/adapters/ipc-main-bridge.ts', "import { ipcMain } from 'electron';\nipcMain.handle('x', () => 1);\n")).toEqual([]);
  });
});
