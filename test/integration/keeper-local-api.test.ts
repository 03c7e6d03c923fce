/**
 * The command line against a keeper: `data2crm-tray --keeper <socket> …`, the real command (the
 * bundle out/cli/data2crm-tray.cjs) and the real keeper (its bundle under plain Node), both child
 * processes, talking over the keeper's socket in its data folder, with the sandbox behind.
 */
import { existsSync, lstatSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../sandbox/server.js';
import { schemaErrors } from '../support/cli-schemas.js';
import { runCli } from '../support/command-line.js';
import { addExternal, keeperFolder, type KeeperFolder } from '../support/keeper-seed.js';
import { startKeeper, stopKeeper, type KeeperProcess } from '../support/keeper-process.js';

let dir: string;
let sandbox: Sandbox;
let folder: KeeperFolder;
let production: { id: string; applicationKey: string };
let keeper: KeeperProcess;
let socket: string;
/** One runtime folder for every keeper here, as one user's session has. */
let runtime: string;

async function listening(args: string[]): Promise<{ keeper: KeeperProcess; socket: string }> {
  const started = await startKeeper(args, { env: { XDG_RUNTIME_DIR: runtime } });
  const line = await started.waitForLine((l) => l.msg === 'local-api: listening', 'the keeper serves its local API');
  await started.waitForLine((l) => l.msg === 'keeper started', 'the keeper starts');
  return { keeper: started, socket: line['path'] as string };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'd2c-keeper-cli-'));
  runtime = join(dir, 'runtime');
  mkdirSync(runtime, { mode: 0o700 });
  sandbox = await startSandbox();
  folder = await keeperFolder(dir, sandbox);
  production = await addExternal(folder, sandbox, 'Production');
  ({ keeper, socket } = await listening(folder.args()));
}, 60_000);
afterAll(async () => {
  await stopKeeper(keeper, 'SIGKILL');
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('data2crm-tray --keeper <socket>', () => {
  it('the keeper listens in its data folder: the socket 0600 in a 0700 folder', () => {
    expect(socket).toBe(join(folder.data, 'run', 'local-api.sock'));
    expect(lstatSync(socket).isSocket()).toBe(true);
    expect(lstatSync(socket).mode & 0o777).toBe(0o600);
    expect(lstatSync(join(folder.data, 'run')).mode & 0o777).toBe(0o700);
  });

  it('status --json lists the keeper’s connection, valid against docs/cli/status.schema.json, exit 0', async () => {
    const run = await runCli(['--keeper', socket, 'status', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const status = JSON.parse(run.stdout) as { app: { name: string }; connections: Array<{ id: string; name: string; mode: string; state: string }> };
    expect(schemaErrors('status', status)).toEqual([]);
    expect(status.app.name).toBe('Data2CRM Keeper');
    expect(status.connections).toEqual([expect.objectContaining({ id: production.id, name: 'Production', mode: 'external', state: 'healthy' })]);
  });

  it('key <name> prints the connection’s application key and nothing else', async () => {
    const run = await runCli(['--keeper', socket, 'key', 'production']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(`${production.applicationKey}\n`);
  });

  it('a second keeper of the same user (another data folder) has a socket of its own', async () => {
    const other = await keeperFolder(mkdtempSync(join(dir, 'other-')), sandbox);
    const second = await listening(other.args());
    try {
      expect(second.socket).toBe(join(other.data, 'run', 'local-api.sock'));
      const run = await runCli(['--keeper', second.socket, 'status', '--json']);
      expect(run.code, run.stderr).toBe(0);
      expect((JSON.parse(run.stdout) as { connections: unknown[] }).connections).toEqual([]);
    } finally {
      expect((await stopKeeper(second.keeper)).code).toBe(0);
    }
    // Stopped: its socket is gone, and the command says nothing answers there (exit 2).
    expect(existsSync(second.socket)).toBe(false);
    const gone = await runCli(['--keeper', second.socket, 'status']);
    expect(gone.code).toBe(2);
    expect(gone.stderr).toContain(`Nothing answers at ${second.socket}`);
  }, 60_000);
});
