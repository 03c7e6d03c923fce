/**
 * `data2crm-tray handover <connection> --to-socket <keeper socket>` against the app's composition
 * root (main/index.ts under the Electron stand-in, its local API as the app serves it) and a real
 * keeper process on its own data folder: one step, then the tray's row and both sides' status.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SCENARIOS } from '../support/app-scenarios.js';
import { startKeeper, stopKeeper } from '../support/keeper-process.js';
import { keeperFolder } from '../support/keeper-seed.js';
import { connectWithTokens, expect, test } from './shell-app.js';

test(SCENARIOS.commandLineHandover, async ({ shell }) => {
  await shell.launch();
  const { page } = await shell.window('/settings');
  await shell.saveUserKey(page);
  const id = await connectWithTokens(shell, page, 'Acme');
  const dir = mkdtempSync(join(tmpdir(), 'd2c-shell-keeper-'));
  const folder = await keeperFolder(dir, shell.sandbox);
  const keeper = await startKeeper(folder.args('--name', 'keeper-1'));
  try {
    await keeper.waitForLine((l) => l.msg === 'keeper started', 'the keeper starts');
    const socket = join(folder.data, 'run', 'local-api.sock');
    const moved = await shell.cli(['handover', 'Acme', '--to-socket', socket, '--name', 'keeper-1']);
    expect(moved, moved.stderr).toMatchObject({ code: 0, stderr: '' });
    expect(moved.stdout).toContain('Acme is kept by keeper-1 now');
    await expect.poll(() => shell.standIn.tray().menu!.items.map((i) => i.label)).toContainEqual('Acme — kept by keeper-1');
    const here = JSON.parse((await shell.cli(['status', '--json'])).stdout) as { connections: Array<{ id: string; renewedBy: string }> };
    expect(here.connections).toEqual([expect.objectContaining({ id, renewedBy: 'keeper' })]);
    const there = JSON.parse((await shell.cli(['--keeper', socket, 'status', '--json'])).stdout) as { connections: Array<{ id: string; name: string }> };
    expect(there.connections).toEqual([expect.objectContaining({ id, name: 'Acme' })]);
    // Kept by the keeper now: a second hand-over is refused by the app before anything is sent.
    const back = await shell.cli(['handover', 'Acme', '--to-socket', shell.socketPath()]);
    expect(back.code).toBe(1);
    expect(back.stderr).toContain('is kept by keeper-1 already');
  } finally {
    await stopKeeper(keeper, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});
