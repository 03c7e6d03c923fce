/**
 * deploy/: the systemd unit and the Dockerfile, each started the way README "Run it on a server"
 * says, as far as this machine allows. No systemd runs as PID 1 here and no Docker engine: the
 * unit is checked by `systemd-analyze verify`, then its ExecStart runs as systemd would run it
 * (its system user, $STATE_DIRECTORY, the LoadCredential= files in $CREDENTIALS_DIRECTORY, its
 * UMask), and the command line installed as the README says answers `status` run as the README
 * says (`sudo -u data2crm-keeper data2crm-tray --keeper …`); the Dockerfile's build stage runs
 * from its build context alone (the files its .dockerignore lets in, copied as its COPY lines
 * say), the image stage's COPY and RUN lines lay out its files in a folder, then its ENTRYPOINT and
 * CMD run as the image's user (uid 1000) with its ENV, /run/secrets mounted as Docker mounts
 * secrets, and the README's `docker exec … data2crm-tray … status` runs there as that user. Not
 * tested here: the image build itself (npm ci in node:24-slim), a real `useradd`, and systemd's own
 * sandboxing options.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_USER_KEY, startSandbox, type Sandbox } from '../sandbox/server.js';
import { copyIntoStage, dockerContextFiles, execForm, metricsPortFrom, nodeForOthers, own, ownedFolder, parseDockerfile, parseUnit, readDeployFile, runAsService, unitValues, verifyUnit, type ServiceRun } from '../support/deploy-files.js';
import { CLI_BUNDLE } from '../support/command-line.js';
import { keeperBundle, runKeeper } from '../support/keeper-process.js';

let dir: string;
let sandbox: Sandbox;
let node: string;
let keyFile: string;
const userKeyFile = () => join(dir, 'user.key');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'd2c-keeper-deploy-'));
  sandbox = await startSandbox();
  node = nodeForOthers();
  keyFile = join(dir, 'keeper.key');
  expect((await runKeeper(['init-key', '--key-file', keyFile])).code).toBe(0);
  writeFileSync(userKeyFile(), `${SAMPLE_USER_KEY}\n`);
});
afterAll(async () => {
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(resolve(node, '..'), { recursive: true, force: true });
});

async function healthy(run: ServiceRun): Promise<number> {
  await expect.poll(() => metricsPortFrom(run.out.stdout) ?? (run.child.exitCode !== null ? `exited ${run.child.exitCode}: ${run.out.stderr.slice(0, 600)}` : null), { timeout: 30_000, message: 'the keeper serves /healthz' }).toBeTypeOf('number');
  const port = metricsPortFrom(run.out.stdout)!;
  const response = await fetch(`http://127.0.0.1:${port}/healthz`);
  expect(response.status).toBe(200);
  return port;
}

/**
 * The bundle where the README installs it (/opt/data2crm-keeper, under the test's root): readable by
 * the service's user wherever the checkout is (a clone in a 0700 temporary folder is not).
 */
function installed(root: string, bundle: string): string {
  const folder = join(root, 'opt/data2crm-keeper');
  mkdirSync(folder, { recursive: true, mode: 0o755 });
  const target = join(folder, 'keeper.mjs');
  cpSync(bundle, target);
  chmodSync(target, 0o644);
  return target;
}

/** The command line as the README installs it: the bundle and deploy/data2crm-tray beside the keeper, linked into /usr/local/bin. */
function installedCli(root: string): string {
  const folder = join(root, 'opt/data2crm-keeper');
  mkdirSync(folder, { recursive: true, mode: 0o755 });
  cpSync(CLI_BUNDLE, join(folder, 'data2crm-tray.cjs'));
  chmodSync(join(folder, 'data2crm-tray.cjs'), 0o644);
  cpSync('deploy/data2crm-tray', join(folder, 'data2crm-tray'));
  chmodSync(join(folder, 'data2crm-tray'), 0o755);
  const bin = join(root, 'usr/local/bin');
  mkdirSync(bin, { recursive: true, mode: 0o755 });
  symlinkSync(join(folder, 'data2crm-tray'), join(bin, 'data2crm-tray'));
  return bin;
}

/** A README line's command (`sudo -u USER data2crm-tray …` or `docker exec NAME data2crm-tray …`), split into words. */
function readmeCommand(pattern: RegExp): string[] {
  const found = pattern.exec(readFileSync('README.md', 'utf8'));
  expect(found, `README.md has ${pattern}`).not.toBeNull();
  return found![0].replace(/`/g, '').split(/\s+/);
}

/** The command line run as `uid` (as sudo -u or docker exec would), to its exit; its output. */
async function runCliAs(uid: number, argv: readonly string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const run = runAsService(argv, { uid, env });
  const code = await run.exited;
  return { code, ...run.out };
}

async function listening(run: ServiceRun): Promise<void> {
  await expect.poll(() => run.out.stdout.includes('"msg":"local-api: listening"'), { timeout: 30_000, message: 'the keeper listens on its socket' }).toBe(true);
}

async function stopped(run: ServiceRun): Promise<number | null> {
  run.child.kill('SIGTERM');
  return run.exited;
}

describe('deploy/data2crm-keeper.service', () => {
  const unit = parseUnit(readDeployFile('data2crm-keeper.service'));
  const service = (key: string) => unitValues(unit, 'Service', key);
  const uid = 991; // what `useradd --system` gives the service's user (below 1000)

  it('passes systemd-analyze verify (and a broken copy does not)', () => {
    const verified = verifyUnit(resolve('deploy/data2crm-keeper.service'));
    expect(verified.status, verified.output).toBe(0);
    const broken = join(dir, 'broken.service');
    writeFileSync(broken, readDeployFile('data2crm-keeper.service').replace('ExecStart=/usr/bin/node', 'ExecStart=node-without-a-path'));
    expect(verifyUnit(broken).status).not.toBe(0);
  });

  it('declares a system user of its own (the README creates it), a state folder, credentials from files, SIGTERM and no restart after a refusal (78)', () => {
    // A fixed user, not DynamicUser= (whose data sits under the root-only /var/lib/private): its operator can reach the socket.
    expect(service('DynamicUser')).toEqual([]);
    expect(service('User')).toEqual(['data2crm-keeper']);
    expect(readmeCommand(/sudo useradd --system [^`]*data2crm-keeper`/).at(-1)).toBe('data2crm-keeper');
    expect(service('StateDirectory')).toEqual(['data2crm-keeper']);
    expect(service('LoadCredential').map((c) => c.split(':')[0])).toEqual(['keeper-key', 'user-key']);
    expect(service('KillSignal')).toEqual(['SIGTERM']);
    expect(service('RestartPreventExitStatus')).toEqual(['78']);
    expect(service('ExecStart')[0]).not.toMatch(/key|token|secret/i);
  });

  it('its ExecStart, run as systemd runs it, keeps the keeper up and healthy, answers `sudo -u data2crm-keeper data2crm-tray … status` (and refuses root), and stops cleanly on SIGTERM', async () => {
    // /var/lib and /run are 0755 on a real system: a service user can reach its own folder.
    const root = own(mkdtempSync(join(tmpdir(), 'd2c-systemd-')), 0, 0o755);
    try {
      const bundle = installed(root, await keeperBundle('system'));
      const state = ownedFolder(join(root, 'var/lib', service('StateDirectory')[0]!), uid, Number.parseInt(service('StateDirectoryMode')[0]!, 8));
      const credentials = ownedFolder(join(root, 'credentials'), uid, 0o700);
      for (const credential of service('LoadCredential')) {
        const [name, from] = credential.split(':') as [string, string];
        // The unit names /etc/data2crm-keeper/…: the test's own files stand in for them.
        cpSync(name === 'keeper-key' ? keyFile : userKeyFile(), join(credentials, name));
        expect(from).toMatch(/^\/etc\/data2crm-keeper\//);
      }
      for (const name of readdirSync(credentials)) own(join(credentials, name), uid, 0o400);
      own(credentials, uid, 0o500);
      const argv = service('ExecStart')[0]!.split(/\s+/).map((arg) => (arg === '%H' ? hostname() : arg));
      expect(argv.slice(0, 2)).toEqual(['/usr/bin/node', '/opt/data2crm-keeper/keeper.mjs']);
      expect(argv.slice(2, 5)).toEqual(['run', '--metrics-port', '9464']);
      // Installed paths → this checkout; a free port instead of 9464; the sandbox instead of the real services.
      const command = [node, bundle, ...argv.slice(2).map((arg) => (arg === '9464' ? '0' : arg)), '--sandbox', sandbox.urls.origin];
      const run = runAsService(command, { uid, umask: service('UMask')[0]!, env: { PATH: process.env['PATH'], HOME: '/', STATE_DIRECTORY: state, CREDENTIALS_DIRECTORY: credentials } });
      await healthy(run);
      expect(run.out.stdout).toContain('"storage":"encrypted-file"');
      expect(run.out.stdout).toContain('configured: the Data2CRM user key was saved');

      // The operator, the README's way: `sudo -u data2crm-keeper data2crm-tray --keeper /var/lib/data2crm-keeper/run/local-api.sock status`.
      await listening(run);
      const [, , user, program, ...args] = readmeCommand(/sudo -u \S+ data2crm-tray --keeper \S+ status/);
      expect(user).toBe(service('User')[0]);
      expect(program).toBe('data2crm-tray');
      const socket = args[1]!;
      expect(socket).toBe(`/var/lib/${service('StateDirectory')[0]}/run/local-api.sock`);
      const cli = [...args.slice(0, 1), join(state, 'run/local-api.sock'), ...args.slice(2), '--json'];
      const path = `${installedCli(root)}:${dirname(node)}:/usr/bin:/bin`;
      const status = await runCliAs(uid, ['data2crm-tray', ...cli], { PATH: path, HOME: state });
      expect(status.code, status.stderr).toBe(0);
      expect(JSON.parse(status.stdout)).toMatchObject({ schemaVersion: 1, connections: [] });
      // Anyone else, root included, is refused: the socket is not theirs (an impostor's socket looks the same).
      if (process.getuid?.() === 0) {
        const asRoot = spawnSync(join(root, 'usr/local/bin/data2crm-tray'), cli, { env: { PATH: path }, encoding: 'utf8' });
        expect(asRoot.status).toBe(2);
        expect(asRoot.stderr).toContain(`belongs to another user (uid ${uid})`);
      }
      expect(await stopped(run)).toBe(0);
      // What it wrote is the service user's alone.
      for (const name of readdirSync(state, { recursive: true }) as string[]) {
        const info = statSync(join(state, name));
        if (process.getuid?.() === 0) expect(info.uid, name).toBe(uid);
        expect(info.mode & 0o077, name).toBe(0);
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 90_000);

  it('without its key credential the keeper refuses with 78, which the unit does not restart', async () => {
    // /var/lib and /run are 0755 on a real system: a service user can reach its own folder.
    const root = own(mkdtempSync(join(tmpdir(), 'd2c-systemd-')), 0, 0o755);
    try {
      const bundle = installed(root, await keeperBundle('system'));
      const state = ownedFolder(join(root, 'state'), uid, 0o700);
      const credentials = ownedFolder(join(root, 'credentials'), uid, 0o500);
      const run = runAsService([node, bundle, 'run', '--sandbox', sandbox.urls.origin], { uid, env: { PATH: process.env['PATH'], HOME: '/', STATE_DIRECTORY: state, CREDENTIALS_DIRECTORY: credentials } });
      const code = await run.exited;
      expect(code, run.out.stderr).toBe(78);
      expect(service('RestartPreventExitStatus')).toContain(String(code));
      // It names the command as the unit started it (the test's paths stand in for the installed ones).
      expect(run.out.stderr).toContain(`Make a key once:  ${node} ${bundle} init-key --key-file`);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('deploy/Dockerfile', () => {
  const stages = parseDockerfile(readDeployFile('Dockerfile'));
  const [build, image] = stages as [(typeof stages)[0], (typeof stages)[0]];
  const all = (op: string) => image.instructions.filter((i) => i.op === op).map((i) => i.args);

  it('builds on Node 24 slim, runs as the image’s non-root user, keeps data in a volume, stops on SIGTERM, has the command line on PATH', () => {
    expect(stages.map((s) => s.from)).toEqual(['node:24-slim AS build', 'node:24-slim']);
    expect(all('USER')).toEqual(['node']);
    expect(all('VOLUME')).toEqual(['["/data"]']);
    expect(all('STOPSIGNAL')).toEqual(['SIGTERM']);
    expect(execForm(all('ENTRYPOINT')[0]!)).toEqual(['node', '/app/keeper.mjs']);
    // Only the bundles and the command's launcher go into the image: no node_modules, no sources.
    expect(all('COPY')).toEqual(['--from=build /src/out/keeper/ /app/', '--from=build /src/out/cli/data2crm-tray.cjs /app/', '--chmod=0755 deploy/data2crm-tray /app/']);
    expect(all('RUN')).toEqual(['ln -s /app/data2crm-tray /usr/local/bin/data2crm-tray', 'mkdir -p /data && chown node:node /data']);
  });

  it('its build context holds everything the Dockerfile copies from it, and nothing else (Dockerfile.dockerignore)', () => {
    const allowed = readDeployFile('Dockerfile.dockerignore')
      .split('\n')
      .filter((l) => l.startsWith('!'))
      .map((l) => l.slice(1).replace(/\/$/, ''));
    const fromContext = [...build.instructions, ...image.instructions].filter((i) => i.op === 'COPY' && !i.args.startsWith('--from='));
    const copied = fromContext.flatMap((i) => i.args.split(/\s+/).filter((word) => !word.startsWith('--')).slice(0, -1));
    expect(copied).toContain('deploy/data2crm-tray');
    for (const source of copied) {
      expect(allowed, source).toContain(source.replace(/\/$/, ''));
      expect(existsSync(source), source).toBe(true);
    }
  });

  /**
   * The build stage from the build context alone: only the files Dockerfile.dockerignore lets in,
   * copied as its COPY lines say into its WORKDIR, then its RUN lines there. `npm ci` cannot reach
   * the registry here: the checkout's own install of the same package-lock.json stands in for it.
   * Returns the stage's folder.
   */
  function buildStage(root: string): string {
    const context = join(root, 'context');
    for (const file of dockerContextFiles('.', readDeployFile('Dockerfile.dockerignore'))) cpSync(file, join(context, file));
    expect(build.instructions.find((i) => i.op === 'WORKDIR')?.args).toBe('/src');
    expect(build.instructions.filter((i) => i.op === 'RUN').map((i) => i.args)).toEqual(['npm ci --ignore-scripts --no-audit --no-fund', 'node --import tsx scripts/build-keeper.ts', 'node scripts/build-cli.mjs']);
    const src = join(root, 'src');
    mkdirSync(src);
    for (const { op, args } of build.instructions) {
      if (op === 'COPY') copyIntoStage(context, src, args);
      else if (op === 'RUN' && args.startsWith('npm ci')) symlinkSync(resolve('node_modules'), join(src, 'node_modules'), 'dir');
      else if (op === 'RUN') {
        const ran = spawnSync('sh', ['-c', args], { cwd: src, encoding: 'utf8' });
        expect(ran.status, `${args}: ${ran.stderr}`).toBe(0);
      }
    }
    return src;
  }

  /**
   * The image stage's files under `image` (the image's /): its COPY lines (from the build stage's
   * folder `root`/src, or from the context, with --chmod) and its RUN lines (the link into PATH;
   * the volume is made by the caller). Returns the path of an image path.
   */
  function imageStage(root: string, context: string, imageRoot: string): (path: string) => string {
    mkdirSync(imageRoot, { mode: 0o755 });
    for (const { op, args } of image.instructions.filter((i) => i.op === 'COPY' || i.op === 'RUN')) {
      if (op === 'COPY') {
        const words = args.split(/\s+/);
        const chmod = words.find((w) => w.startsWith('--chmod='));
        const paths = words.filter((w) => !w.startsWith('--')).join(' ');
        copyIntoStage(words[0]!.startsWith('--from=build') ? root : context, imageRoot, paths);
        if (chmod) chmodSync(join(imageRoot, words.at(-1)!, words.at(-2)!.split('/').at(-1)!), Number.parseInt(chmod.slice('--chmod='.length), 8));
      } else if (args.startsWith('ln -s ')) {
        const [target, link] = args.slice('ln -s '.length).split(/\s+/) as [string, string];
        mkdirSync(dirname(join(imageRoot, link)), { recursive: true, mode: 0o755 });
        symlinkSync(join(imageRoot, target), join(imageRoot, link));
      }
    }
    for (const folder of ['app', 'usr', 'usr/local', 'usr/local/bin']) chmodSync(join(imageRoot, folder), 0o755);
    return (path: string) => join(imageRoot, path);
  }

  it('its build stage from the build context alone, its image stage laid out, then its ENTRYPOINT and CMD as uid 1000 with its ENV and the secrets Docker mounts: healthy, HEALTHCHECK passes, `docker exec … data2crm-tray … status` answers, SIGTERM exits 0', async () => {
    const root = own(mkdtempSync(join(tmpdir(), 'd2c-docker-')), 0, 0o755);
    try {
      buildStage(root);
      // The image stage's COPY and RUN lines, and the volume the image chowns to node (uid 1000).
      const inImageRoot = imageStage(root, join(root, 'context'), join(root, 'image'));
      const volume = ownedFolder(join(root, 'data'), 1000, 0o755);
      const env = Object.fromEntries(all('ENV').map((e) => e.split('=') as [string, string]));
      expect(env).toEqual({ NODE_ENV: 'production' });
      const cmd = execForm(all('CMD')[0]!);
      expect(cmd).toEqual(['run', '--data', '/data', '--metrics-port', '9464']);
      const inImage = (arg: string) => (arg === '/data' ? volume : arg === '/app/keeper.mjs' ? inImageRoot(arg) : arg === '9464' ? '0' : arg === 'node' ? node : arg);
      const command = [...execForm(all('ENTRYPOINT')[0]!), ...cmd].map(inImage);
      // `docker run … data2crm-keeper run --data /data --sandbox URL`: flags after the image replace CMD.
      const run = runAsService([...command, '--sandbox', sandbox.urls.origin], {
        uid: 1000,
        // Docker sets HOME from the image's passwd entry for the node user.
        env: { PATH: process.env['PATH'], HOME: '/home/node', ...env },
        runFiles: { '/run/secrets/keeper-key': keyFile, '/run/secrets/user-key': userKeyFile() },
      });
      const port = await healthy(run);
      const check = execForm(all('HEALTHCHECK')[0]!).map((arg) => arg.replace('9464', String(port)).replace(/^node$/, node));
      expect(check.slice(0, 2)).toEqual([node, '-e']);
      expect(spawnSync(check[0]!, check.slice(1)).status).toBe(0);

      // README: `docker exec keeper data2crm-tray --keeper /data/run/local-api.sock status`, as the image's user with its ENV and PATH.
      await listening(run);
      const [, , , program, ...args] = readmeCommand(/docker exec \S+ data2crm-tray --keeper \S+ status/);
      expect(program).toBe('data2crm-tray');
      expect(args[1]).toBe('/data/run/local-api.sock');
      const cli = [program!, args[0]!, join(volume, 'run/local-api.sock'), ...args.slice(2), '--json'];
      // node:24-slim's PATH: node is /usr/local/bin/node, beside the link to the launcher.
      const status = await runCliAs(1000, cli, { PATH: `${inImageRoot('/usr/local/bin')}:${dirname(node)}:/usr/bin:/bin`, HOME: '/home/node', ...env });
      expect(status.code, status.stderr).toBe(0);
      expect(JSON.parse(status.stdout)).toMatchObject({ schemaVersion: 1, connections: [] });
      expect(await stopped(run)).toBe(0);
      expect(statSync(volume).mode & 0o777).toBe(0o700);
      if (process.getuid?.() === 0) for (const name of readdirSync(volume)) expect(statSync(join(volume, name)).uid, name).toBe(1000);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 120_000);
});
