/**
 * The command line where things are not simple: no app, a socket left by a crash, `watch` until
 * Ctrl+C, usage mistakes, operations it may not call, and the socket's permissions against other
 * users (root runs the parts that switch to another user; CI runs as root).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname } from 'node:path';
import { COMMANDS } from '../../cli/help.js';
import { SCENARIOS } from '../support/app-scenarios.js';
import { schemaErrors } from '../support/cli-schemas.js';
import { startCli } from '../support/command-line.js';
import { callApi, connectWithTokens, expect, test } from './shell-app.js';

const NOT_RUNNING = 'data2crm-tray: Data2CRM Tray is not running. Start it (from your applications menu, or `npm start` in its folder), then try again.\n';
const NOBODY = 65534;
const isRoot = process.getuid?.() === 0;

/** One request over the app's socket as any program could send it; the first answer. */
function rawRequest(path: string, line: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    let text = '';
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(`${line}\n`));
    socket.on('data', (chunk: string) => {
      text += chunk;
      if (text.includes('\n')) {
        socket.destroy();
        resolve(JSON.parse(text.slice(0, text.indexOf('\n'))) as Record<string, unknown>);
      }
    });
    socket.on('error', reject);
  });
}

/** What another user's process gets when it opens the socket: 'connected' or the error code. */
function connectAs(uid: number, path: string): string {
  const node = existsSync('/usr/bin/node') ? '/usr/bin/node' : process.execPath;
  const script = `require('net').connect(${JSON.stringify(path)}).on('connect',()=>{console.log('connected');process.exit(0)}).on('error',(e)=>{console.log(e.code);process.exit(0)})`;
  return spawnSync(node, ['-e', script], { uid, gid: uid, encoding: 'utf8' }).stdout.trim();
}

test(SCENARIOS.commandLineNotRunning, async ({ shell }) => {
  expect(await shell.cli(['status'])).toEqual({ code: 2, stdout: '', stderr: NOT_RUNNING });
  // A crash leaves the socket file with nothing behind it.
  mkdirSync(dirname(shell.socketPath()), { recursive: true, mode: 0o700 });
  const crashed = spawnSync(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(shell.socketPath())}, () => { require('fs').chmodSync(${JSON.stringify(shell.socketPath())}, 0o600); process.kill(process.pid, 'SIGKILL'); })`]);
  expect(crashed.signal).toBe('SIGKILL');
  expect(lstatSync(shell.socketPath()).isSocket()).toBe(true);
  expect(await shell.cli(['status'])).toEqual({ code: 2, stdout: '', stderr: NOT_RUNNING });
  expect(await shell.cli(['key', 'Acme'])).toEqual({ code: 2, stdout: '', stderr: NOT_RUNNING });

  // The next start replaces it and answers there.
  await shell.launch();
  await expect.poll(async () => (await shell.cli(['status'])).code, { timeout: 15_000 }).toBe(0);
  // Quit: gone again, and the socket file with it.
  shell.standIn.app.quit();
  await expect.poll(() => existsSync(shell.socketPath())).toBe(false);
  expect(await shell.cli(['status'])).toEqual({ code: 2, stdout: '', stderr: NOT_RUNNING });
});

test(SCENARIOS.commandLineWatch, async ({ shell }) => {
  await shell.launch();
  const { page } = await shell.window('/settings');
  await shell.saveUserKey(page);
  const id = await connectWithTokens(shell, page, 'Acme');
  const env = { XDG_RUNTIME_DIR: shell.runtimeDir };
  const asJson = startCli(['watch', '--json'], { env });
  const asText = startCli(['watch'], { env });
  for (const watcher of [asJson, asText]) await expect.poll(() => watcher.stderr(), { timeout: 15_000 }).toContain('Watching for changes; Ctrl+C to stop.');
  expect(asJson.lines()).toEqual([]);

  // A change made in the window: the watchers print it while they go on running (flushed per change).
  expect(await callApi(page, 'rename', id, 'Acme EU')).toMatchObject({ ok: true });
  await expect.poll(() => asJson.lines().map((l) => JSON.parse(l) as unknown), { timeout: 15_000 }).toContainEqual(expect.objectContaining({ schemaVersion: 1, type: 'connection', change: 'renamed', id, name: 'Acme EU', previousName: 'Acme', state: 'healthy' }));
  await expect.poll(() => asText.lines(), { timeout: 15_000 }).toContainEqual(expect.stringMatching(/^\d\d:\d\d:\d\d {2}Acme EU {2}renamed \(was Acme\)$/));
  // Pausing is the app's own change.
  expect(await callApi(page, 'setPaused', true)).toMatchObject({ ok: true });
  await expect.poll(() => asJson.lines().map((l) => JSON.parse(l) as unknown), { timeout: 15_000 }).toContainEqual(expect.objectContaining({ type: 'app', change: 'state', paused: true, status: 'paused' }));
  await expect.poll(() => asText.lines(), { timeout: 15_000 }).toContainEqual(expect.stringMatching(/Data2CRM Tray {2}paused · automatic refresh is off$/));
  for (const line of asJson.lines()) expect(schemaErrors('watch', JSON.parse(line)), line).toEqual([]);
  expect(asJson.child.exitCode).toBeNull();

  // Ctrl+C ends both cleanly: exit 0, nothing on stderr after the first line.
  asJson.child.kill('SIGINT');
  asText.child.kill('SIGINT');
  expect(await asJson.ended).toBe(0);
  expect(await asText.ended).toBe(0);
  expect(asJson.stderr()).toBe('Watching for changes; Ctrl+C to stop.\n');
});

test(SCENARIOS.commandLineUsage, async ({ shell }) => {
  for (const command of COMMANDS) {
    const help = await shell.cli([command, '--help']);
    expect(help, command).toMatchObject({ code: 0, stderr: '' });
    expect(help.stdout, command).toMatch(new RegExp(`^Usage: data2crm-tray ${command}\\b`));
  }
  const program = await shell.cli(['--help']);
  expect(program).toMatchObject({ code: 0, stderr: '' });
  for (const command of COMMANDS.filter((c) => c !== 'help')) expect(program.stdout).toMatch(new RegExp(`^ {2}${command}\\b`, 'm'));
  expect((await shell.cli([])).code).toBe(3);

  for (const [args, words] of [
    [['frobnicate'], 'Unknown command “frobnicate”.'],
    [['status', '--jsn'], "Unknown option '--jsn'"],
    [['status', 'extra'], '`status` does not take “extra”.'],
    [['key', '--all'], '`key` takes no --all.'],
    [['key'], 'Name a connection'],
    [['refresh'], 'Name a connection to refresh, or use --all.'],
    [['pause', '--for', 'soon'], '“soon” is not a duration'],
    [['pause', '--for', '30d'], 'Pause for one minute up to 7 days'],
  ] as const) {
    const run = await shell.cli(args);
    expect(run, args.join(' ')).toMatchObject({ code: 3, stdout: '' });
    expect(run.stderr, args.join(' ')).toContain(words);
    // One plain line, never a stack trace.
    expect(run.stderr.split('\n'), args.join(' ')).toHaveLength(2);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  }

  // What the command line may not do, the app refuses with the reason (any program on the socket gets the same).
  await shell.launch();
  const path = shell.socketPath();
  await expect.poll(() => existsSync(path)).toBe(true);
  const before = (await shell.cli(['status', '--json'])).stdout;
  expect(await rawRequest(path, JSON.stringify({ id: 1, op: 'settings:update', args: { endpoints: { data2crmApiBase: 'https://api.example.invalid' } } }))).toEqual({ id: 1, ok: false, error: { code: 'refused', message: expect.stringContaining('confirmation dialog') } });
  expect(await rawRequest(path, JSON.stringify({ id: 2, op: 'connections:update-tokens', args: { id: 'abcdefgh', accessToken: 'x'.repeat(20) } }))).toEqual({ id: 2, ok: false, error: { code: 'refused', message: expect.stringContaining('shell’s history') } });
  expect(await rawRequest(path, JSON.stringify({ id: 3, op: 'connections:disconnect', args: { id: 'abcdefgh' } }))).toMatchObject({ id: 3, ok: false, error: { code: 'refused' } });
  expect(await rawRequest(path, JSON.stringify({ id: 4, op: 'nonsense' }))).toMatchObject({ id: 4, ok: false, error: { code: 'unknown-operation' } });
  expect(await rawRequest(path, 'not json')).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
  expect(await rawRequest(path, JSON.stringify({ id: 5, op: 'automation:set-paused', args: { paused: 'yes' } }))).toMatchObject({ id: 5, ok: false, error: { code: 'invalid-argument' } });
  expect(JSON.parse((await shell.cli(['status', '--json'])).stdout).app).toEqual(JSON.parse(before).app);
});

test(SCENARIOS.commandLineOtherUser, async ({ shell }) => {
  await shell.launch();
  const path = shell.socketPath();
  await expect.poll(() => existsSync(path)).toBe(true);
  // The app's folder is 0700 and its socket 0600, both this user's.
  expect(lstatSync(dirname(path)).mode & 0o777).toBe(0o700);
  expect(lstatSync(path).mode & 0o777).toBe(0o600);
  expect((await shell.cli(['status'])).code).toBe(0);

  if (isRoot) {
    // Only the app's own folder and socket stand between another user and the socket.
    chmodSync(shell.userData, 0o711);
    chmodSync(shell.runtimeDir, 0o711);
    expect(connectAs(NOBODY, path)).toBe('EACCES');
    const theirs = await shell.cli(['status'], { uid: NOBODY, node: existsSync('/usr/bin/node') ? '/usr/bin/node' : process.execPath });
    expect(theirs).toMatchObject({ code: 2, stdout: '' });
    expect(theirs.stderr).toContain('permission denied');
    // The socket's own mode refuses them too, with the folder open.
    chmodSync(dirname(path), 0o711);
    expect(connectAs(NOBODY, path)).toBe('EACCES');
    chmodSync(dirname(path), 0o700);
  }
  // A socket open to others: the command line will not talk to it (it may be someone else's).
  chmodSync(path, 0o666);
  if (isRoot) {
    chmodSync(dirname(path), 0o711);
    expect(connectAs(NOBODY, path)).toBe('connected');
    chmodSync(dirname(path), 0o700);
  }
  const open = await shell.cli(['status']);
  expect(open).toMatchObject({ code: 2, stdout: '' });
  expect(open.stderr).toBe(`data2crm-tray: Refusing to talk to ${path}: other users can open the socket ${path} (mode 0666).\n`);
  chmodSync(path, 0o600);
  // A folder open to others, likewise.
  chmodSync(dirname(path), 0o755);
  expect((await shell.cli(['status'])).stderr).toContain(`other users can open the folder ${dirname(path)} (mode 0755)`);
  chmodSync(dirname(path), 0o700);
  if (isRoot) {
    // A socket that belongs to another user.
    chownSync(path, NOBODY, NOBODY);
    expect((await shell.cli(['key', 'x'])).stderr).toBe(`data2crm-tray: Refusing to talk to ${path}: the socket ${path} belongs to another user (uid ${NOBODY}).\n`);
    chownSync(path, 0, 0);
  }
  expect((await shell.cli(['status'])).code).toBe(0);
});
