/**
 * The keeper as a real child process, as an operator runs it: the esbuild bundle of
 * main/keeper.ts (built once per test file into node_modules/.cache), plain Node, its own data
 * folder, its JSON log lines read from stdout. `clock: 'stepped'` builds the same bundle with the
 * Clock port swapped for one the test moves over IPC (keeper-stepped-clock.ts). Children record
 * coverage where `npm test` asks for it (D2C_CHILD_V8_COVERAGE).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildKeeper } from '../../scripts/build-keeper.js';

const CACHE = resolve('node_modules/.cache/d2c-keeper');
const bundles = new Map<string, Promise<string>>();

export type KeeperClock = 'system' | 'stepped';

/** The bundle, built once per process and variant. */
export function keeperBundle(clock: KeeperClock = 'system'): Promise<string> {
  const cached = bundles.get(clock);
  if (cached) return cached;
  mkdirSync(CACHE, { recursive: true });
  const outfile = join(CACHE, `keeper-${clock}-${process.pid}.mjs`);
  const stepped = resolve('test/support/keeper-stepped-clock.ts');
  const built = buildKeeper({
    outfile,
    plugins:
      clock === 'stepped'
        ? [{ name: 'stepped-clock', setup: (b) => b.onResolve({ filter: /\/system-clock\.js$/ }, () => ({ path: stepped })) }]
        : [],
  });
  bundles.set(clock, built);
  return built;
}

export interface LogLine {
  readonly time: string;
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly msg: string;
  readonly [field: string]: unknown;
}

export interface KeeperProcess {
  readonly child: ChildProcess;
  /** Every JSON line the keeper wrote to stdout so far. */
  readonly lines: LogLine[];
  /** Everything that was not a JSON line (stdout) and all of stderr. */
  readonly text: { stdout: string; stderr: string };
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Polls (generously: a loaded machine) for a log line matching. */
  waitForLine(match: (line: LogLine) => boolean, message: string, timeout?: number): Promise<LogLine>;
  /** The loopback port of /healthz and /metrics, from the keeper's own log line. */
  metricsPort(): Promise<number>;
  /** Stepped clock only: moves the keeper's clock, timer by timer, each run finished. Resolves to its new wall time. */
  advance(ms: number): Promise<number>;
  /** The keeper's wall time at start (stepped clock only). */
  clockStart(): Promise<number>;
}

export interface StartOptions {
  readonly clock?: KeeperClock;
  readonly env?: Record<string, string | undefined>;
  /** Written to stdin, then stdin is closed (tokens for `keeper add --paste`). */
  readonly stdin?: string;
}

/** A child's environment: no Secret Service unless `extra` gives the bus back (the test's private one would be inherited). */
export function keeperEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, D2C_TEST_MODE: '1' };
  delete env['DBUS_SESSION_BUS_ADDRESS'];
  Object.assign(env, extra);
  if (process.env['D2C_CHILD_V8_COVERAGE']) env['NODE_V8_COVERAGE'] = process.env['D2C_CHILD_V8_COVERAGE'];
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key];
  return env;
}

export async function startKeeper(args: readonly string[], options: StartOptions = {}): Promise<KeeperProcess> {
  const bundle = await keeperBundle(options.clock ?? 'system');
  const child = spawn(process.execPath, ['--enable-source-maps', bundle, ...args], { env: keeperEnv(options.env ?? {}), stdio: ['pipe', 'pipe', 'pipe', 'ipc'] });
  const lines: LogLine[] = [];
  const text = { stdout: '', stderr: '' };
  let partial = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    partial += chunk;
    const complete = partial.split('\n');
    partial = complete.pop()!;
    for (const raw of complete) {
      try {
        lines.push(JSON.parse(raw) as LogLine);
      } catch {
        text.stdout += `${raw}\n`;
      }
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (text.stderr += chunk));
  if (options.stdin !== undefined) child.stdin!.end(options.stdin);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.once('exit', (code, signal) => done({ code, signal })));
  let started: Promise<number> | null = null;
  const clockStart = () =>
    (started ??= new Promise<number>((done) => {
      const listener = (message: { type?: string; now?: number }) => {
        if (message.type === 'clock' && typeof message.now === 'number') {
          child.off('message', listener);
          done(message.now);
        }
      };
      child.on('message', listener);
    }));
  if (options.clock === 'stepped') void clockStart();

  // A plain poll (the benchmarks use this too, outside Vitest).
  const waitForLine: KeeperProcess['waitForLine'] = async (match, message, timeout = 30_000) => {
    const until = Date.now() + timeout;
    for (;;) {
      const found = lines.find(match);
      if (found) return found;
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${message}: the keeper exited (${child.exitCode ?? child.signalCode}) first. stderr: ${text.stderr.slice(-1000)}`);
      if (Date.now() > until) throw new Error(`${message}: not within ${timeout / 1000} s. stderr: ${text.stderr.slice(-1000)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  return {
    child,
    lines,
    text,
    exited,
    waitForLine,
    clockStart,
    async metricsPort() {
      const line = await waitForLine((l) => typeof l['port'] === 'number' && l.msg.startsWith('metrics:'), 'the keeper serves its metrics');
      return line['port'] as number;
    },
    advance: (ms) =>
      new Promise<number>((done, fail) => {
        const gone = () => fail(new Error('the keeper exited while its clock was moved'));
        const listener = (message: { type?: string; now?: number }) => {
          if (message.type !== 'advanced') return;
          child.off('message', listener);
          child.off('exit', gone);
          done(message.now!);
        };
        child.on('message', listener);
        child.once('exit', gone);
        child.send({ type: 'advance', ms });
      }),
  };
}

/** Runs a one-shot keeper command to its end. */
export async function runKeeper(args: readonly string[], options: StartOptions = {}) {
  const keeper = await startKeeper(args, options);
  const { code } = await keeper.exited;
  return { code, stdout: keeper.text.stdout, stderr: keeper.text.stderr, lines: keeper.lines };
}

/** SIGTERM, then waits for the exit. */
export async function stopKeeper(keeper: KeeperProcess, signal: NodeJS.Signals = 'SIGTERM') {
  if (keeper.child.exitCode === null && keeper.child.signalCode === null) keeper.child.kill(signal);
  return keeper.exited;
}
