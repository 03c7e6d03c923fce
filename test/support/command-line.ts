/**
 * The real `data2crm-tray` command as a child process: the bundle the build makes
 * (out/cli/data2crm-tray.cjs), run by Node with the environment a test gives it. `runCli` waits for
 * it to end; `startCli` keeps it running (watch) and collects its output as it comes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const CLI_BUNDLE = resolve('out/cli/data2crm-tray.cjs');

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** Run as this user (root only): another user's process. */
  readonly uid?: number;
  readonly gid?: number;
  /** Another Node binary (one this user may run); default: the test's own. */
  readonly node?: string;
}

let readableBundle: string | null = null;

/**
 * The bundle where another user can read it: a checkout may sit in a folder only its owner can
 * enter (CI clones into a 0700 mktemp folder), and the other user must run the same command.
 */
function bundleFor(uid: number | undefined): string {
  if (uid === undefined || uid === process.getuid?.()) return CLI_BUNDLE;
  if (!readableBundle) {
    const folder = mkdtempSync(join(tmpdir(), 'd2c-cli-bundle-'));
    chmodSync(folder, 0o755);
    readableBundle = join(folder, 'data2crm-tray.cjs');
    copyFileSync(CLI_BUNDLE, readableBundle);
    chmodSync(readableBundle, 0o644);
  }
  return readableBundle;
}

function spawnCli(args: readonly string[], options: CliOptions): ChildProcess {
  if (!existsSync(CLI_BUNDLE)) throw new Error('out/cli is missing: run `npm run build` first (npm test does).');
  return spawn(options.node ?? process.execPath, [bundleFor(options.uid), ...args], {
    env: { PATH: process.env['PATH'], HOME: process.env['HOME'], ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.uid !== undefined ? { uid: options.uid, gid: options.gid ?? options.uid } : {}),
  });
}

export function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliRun> {
  const child = spawnCli(args, options);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((done, fail) => {
    child.once('error', fail);
    child.once('close', (code) => done({ code, stdout, stderr }));
  });
}

export interface RunningCli {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** stdout's complete lines so far. */
  lines(): string[];
  /** Resolves with the exit code once it ends. */
  ended: Promise<number | null>;
}

export function startCli(args: readonly string[], options: CliOptions = {}): RunningCli {
  const child = spawnCli(args, options);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const ended = new Promise<number | null>((done) => child.once('close', (code) => done(code)));
  return { child, stdout: () => stdout, stderr: () => stderr, lines: () => stdout.split('\n').slice(0, -1), ended };
}
