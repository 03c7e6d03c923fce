/**
 * Reading deploy/ the way systemd and Docker read it, and starting the keeper the way they would:
 * as the service's own non-root user, with the files and environment they give it. What cannot
 * run here (no systemd as PID 1, no Docker engine) is said by the tests that use this.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, cpSync, existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, matchesGlob } from 'node:path';

/** systemd's unit syntax: sections of Key=Value lines; a key may repeat (LoadCredential=). */
export function parseUnit(text: string): Map<string, Array<[string, string]>> {
  const sections = new Map<string, Array<[string, string]>>();
  let current: Array<[string, string]> | null = null;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const section = /^\[(.+)\]$/.exec(line);
    if (section) {
      current = [];
      sections.set(section[1]!, current);
      continue;
    }
    const eq = line.indexOf('=');
    if (current && eq > 0) current.push([line.slice(0, eq), line.slice(eq + 1)]);
  }
  return sections;
}

export const unitValues = (unit: Map<string, Array<[string, string]>>, section: string, key: string) => (unit.get(section) ?? []).filter(([k]) => k === key).map(([, v]) => v);

/** A Dockerfile's instructions, stage by stage (continuation lines joined). */
export function parseDockerfile(text: string): Array<{ from: string; instructions: Array<{ op: string; args: string }> }> {
  const stages: Array<{ from: string; instructions: Array<{ op: string; args: string }> }> = [];
  const logical = text.replace(/\\\n/g, ' ').split('\n');
  for (const raw of logical) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const [op, ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    if (op!.toUpperCase() === 'FROM') stages.push({ from: args, instructions: [] });
    else stages.at(-1)?.instructions.push({ op: op!.toUpperCase(), args });
  }
  return stages;
}

/** The exec form of ENTRYPOINT, CMD or HEALTHCHECK's CMD: a JSON array. */
export const execForm = (args: string) => JSON.parse(args.slice(args.indexOf('['))) as string[];

/** Node, reachable by a non-root user (the cached Node 24 lives under /root): a hard link in a shared folder. */
export function nodeForOthers(): string {
  const folder = mkdtempSync(join(tmpdir(), 'd2c-node-'));
  chmodSync(folder, 0o755);
  const node = join(folder, 'node');
  try {
    linkSync(process.execPath, node);
  } catch {
    // Another file system: a copy (about 120 MB) instead of a link.
    copyFileSync(process.execPath, node);
    chmodSync(node, 0o755);
  }
  return node;
}

export const isRoot = () => process.getuid?.() === 0;

/** A file or folder given to `uid` with `mode`, as a service manager or an image would. */
export function own(path: string, uid: number, mode: number): string {
  if (isRoot()) chownSync(path, uid, uid);
  chmodSync(path, mode);
  return path;
}

export const ownedFolder = (path: string, uid: number, mode: number): string => {
  mkdirSync(path, { recursive: true });
  return own(path, uid, mode);
};

export interface ServiceRun {
  readonly child: ChildProcess;
  readonly out: { stdout: string; stderr: string };
  readonly exited: Promise<number | null>;
}

/**
 * Runs `command` as `uid` (setpriv, when this process is root; otherwise as this non-root user)
 * with a umask, in a mount namespace whose /run is a fresh tmpfs holding `runFiles` (Docker mounts
 * its secrets at /run/secrets): the host's /run is never touched. Without root the namespace is a
 * user namespace's (util-linux unshare --map-root-user), where mounting a tmpfs is allowed.
 */
export function runAsService(command: readonly string[], options: { uid: number; env: NodeJS.ProcessEnv; umask?: string; runFiles?: Record<string, string> }): ServiceRun {
  const chown = (path: string) => (isRoot() ? ` && chown ${options.uid}:${options.uid} ${path}` : '');
  const setup = Object.entries(options.runFiles ?? {}).map(([path, from]) => `mkdir -p "$(dirname ${path})" && cp ${from} ${path}${chown(path)} && chmod 0400 ${path}`);
  const user = isRoot() ? `setpriv --reuid=${options.uid} --regid=${options.uid} --clear-groups ` : '';
  const script = [...(setup.length ? ['mount -t tmpfs -o mode=0755 tmpfs /run', ...setup] : []), `umask ${options.umask ?? '0022'}`, `exec ${user}"$@"`].join(' && ');
  const namespace = isRoot() ? ['unshare', '--mount', '--propagation', 'private'] : ['unshare', '--user', '--map-root-user', '--mount', '--propagation', 'private'];
  const wrapper = setup.length ? [...namespace, 'sh', '-c', script, 'service'] : ['sh', '-c', script, 'service'];
  const child = spawn(wrapper[0]!, [...wrapper.slice(1), ...command], { env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const out = { stdout: '', stderr: '' };
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (out.stdout += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (out.stderr += c));
  return { child, out, exited: new Promise((done) => child.once('exit', (code) => done(code))) };
}

/** The port of /healthz from the keeper's own JSON log line. */
export function metricsPortFrom(stdout: string): number | null {
  for (const line of stdout.split('\n')) {
    try {
      const parsed = JSON.parse(line) as { msg?: string; port?: number };
      if (parsed.msg?.startsWith('metrics:') && typeof parsed.port === 'number') return parsed.port;
    } catch {
      // not a log line
    }
  }
  return null;
}

export const readDeployFile = (name: string) => readFileSync(join('deploy', name), 'utf8');

/** `systemd-analyze verify` on a unit file: its exit code and what it said. */
export function verifyUnit(path: string): { status: number | null; output: string } {
  const run = spawnSync('systemd-analyze', ['verify', path], { encoding: 'utf8', cwd: tmpdir() });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

/**
 * The files a Docker build context holds under `root` after a .dockerignore: the last rule that
 * matches a path, or a folder it is in, decides (`!` keeps); Docker's glob is close enough to
 * Node's for the rules we write. Folders excluded with no `!` rule inside them are not walked
 * (node_modules, out, .git).
 */
export function dockerContextFiles(root: string, ignore: string): string[] {
  const rules = ignore
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => ({ keep: line.startsWith('!'), pattern: line.replace(/^!/, '').replace(/^\/+|\/+$/g, '') }));
  const excluded = (path: string) => {
    const parts = path.split('/');
    let out = false;
    for (const rule of rules) if (parts.some((_, i) => matchesGlob(parts.slice(0, i + 1).join('/'), rule.pattern))) out = !rule.keep;
    return out;
  };
  const files: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(join(root, folder), { withFileTypes: true })) {
      const path = folder ? `${folder}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!excluded(path) || rules.some((rule) => rule.keep && rule.pattern.startsWith(`${path}/`))) walk(path);
      } else if (entry.isFile() && !excluded(path)) files.push(path);
    }
  };
  walk('');
  return files;
}

/**
 * A build stage's `COPY <src>... <dest>` from a context folder into the stage's WORKDIR, as Docker
 * does it: a folder's contents go into dest, a file into dest (a folder when dest ends in / or
 * there are several sources). A source the context does not hold fails, as `docker build` does.
 */
export function copyIntoStage(context: string, workdir: string, args: string): void {
  const words = args.split(/\s+/);
  const sources = words.slice(0, -1);
  const dest = words.at(-1)!;
  for (const source of sources) {
    const from = join(context, source);
    if (!existsSync(from)) throw new Error(`COPY ${source}: not in the build context`);
    if (statSync(from).isDirectory()) cpSync(from, join(workdir, dest), { recursive: true });
    else {
      const to = dest.endsWith('/') || sources.length > 1 ? join(workdir, dest, basename(source)) : join(workdir, dest);
      mkdirSync(dirname(to), { recursive: true });
      copyFileSync(from, to);
    }
  }
}
