/**
 * Each command: what it asks the app and what it prints. Data goes to stdout, messages about
 * failures to stderr (one line each); the return value is the exit code. The app decides; these
 * only ask and word the answer.
 */
import { writeFileSync } from 'node:fs';
import type { ActionResult } from '../preload/contract.js';
import type { LocalApiClient } from './client.js';
import { minutesWords, parseMinutes } from './duration.js';
import { CliError, EXIT, type ExitCode } from './errors.js';
import { findConnection } from './find-connection.js';
import { needsYou, statusJson, statusText, STATUS_SCHEMA_VERSION } from './status.js';
import { createWatcher, watchText } from './watch.js';

export interface Io {
  out(text: string): void;
  err(text: string): void;
  now(): number;
  /** Resolves on Ctrl+C (SIGINT); only `watch` listens (the other commands end by Ctrl+C as usual). */
  interrupted(): Promise<void>;
}

export interface Flags {
  readonly json: boolean;
  readonly all: boolean;
  readonly for?: string;
  readonly out?: string;
}

const json = (value: unknown) => `${JSON.stringify(value)}\n`;

/** `query` is there: main.ts says a missing one before the app is asked. */
async function connectionByName(api: LocalApiClient, query: string) {
  const snapshot = await api.call('state:get');
  return findConnection(snapshot.connections, query);
}

/** An action's answer: its message on stdout when it worked, on stderr (exit 1) when not. */
function said(io: Io, result: ActionResult, fallback: string): ExitCode {
  if (result.ok) {
    io.out(`${result.message ?? fallback}\n`);
    if (result.notice) io.out(`${result.notice}\n`);
    return EXIT.ok;
  }
  io.err(`data2crm-tray: ${result.message}\n`);
  return EXIT.needsYou;
}

export async function status(api: LocalApiClient, io: Io, flags: Flags): Promise<ExitCode> {
  const [info, snapshot] = await Promise.all([api.call('app:get-info'), api.call('state:get')]);
  const now = io.now();
  const result = statusJson(info, snapshot, now);
  io.out(flags.json ? json(result) : statusText(result, now));
  return needsYou(snapshot) ? EXIT.needsYou : EXIT.ok;
}

export async function key(api: LocalApiClient, io: Io, query: string): Promise<ExitCode> {
  const connection = await connectionByName(api, query);
  const result = await api.call('connections:application-key', { id: connection.id });
  if (!result.ok) {
    io.err(`data2crm-tray: ${connection.label}: ${result.message}\n`);
    return EXIT.needsYou;
  }
  io.out(`${result.key}\n`);
  return EXIT.ok;
}

export async function refresh(api: LocalApiClient, io: Io, query: string | undefined, flags: Flags): Promise<ExitCode> {
  const snapshot = await api.call('state:get');
  const targets = flags.all ? snapshot.connections : [findConnection(snapshot.connections, query!)];
  // The app refreshes at most its concurrency setting at a time; every answer is awaited.
  const results = await Promise.all(
    targets.map(async (c) => {
      const result = await api.call('connections:refresh-now', { id: c.id });
      const outcome = { id: c.id, name: c.label, ok: result.ok, message: result.ok ? (result.message ?? 'Refreshed.') : result.message };
      if (!flags.json) (outcome.ok ? io.out : io.err)(`${outcome.ok ? '' : 'data2crm-tray: '}${outcome.name}: ${outcome.message}\n`);
      return outcome;
    }),
  );
  if (flags.json) io.out(json({ schemaVersion: STATUS_SCHEMA_VERSION, results }));
  else if (targets.length === 0) io.out('No connections to refresh.\n');
  return results.every((r) => r.ok) ? EXIT.ok : EXIT.needsYou;
}

export async function pause(api: LocalApiClient, io: Io, flags: Flags): Promise<ExitCode> {
  const forMinutes = flags.for === undefined ? undefined : parseMinutes(flags.for);
  const result = await api.call('automation:set-paused', { paused: true, ...(forMinutes === undefined ? {} : { forMinutes }) });
  return said(io, result, forMinutes === undefined ? 'Automatic refresh is paused until `data2crm-tray resume`.' : `Automatic refresh is paused for ${minutesWords(forMinutes)}.`);
}

export async function resume(api: LocalApiClient, io: Io): Promise<ExitCode> {
  return said(io, await api.call('automation:set-paused', { paused: false }), 'Automatic refresh is on again.');
}

export async function open(api: LocalApiClient, io: Io, query: string): Promise<ExitCode> {
  const connection = await connectionByName(api, query);
  return said(io, await api.call('connections:open-in-salesforce', { id: connection.id }), 'Opened in your browser.');
}

export async function connect(api: LocalApiClient, io: Io): Promise<ExitCode> {
  return said(io, await api.call('app:show-connect'), 'The connect wizard is open in the app.');
}

export async function diagnostics(api: LocalApiClient, io: Io, flags: Flags): Promise<ExitCode> {
  const { json: report } = await api.call('diagnostics:preview');
  if (flags.out === undefined) {
    io.out(`${report}\n`);
    return EXIT.ok;
  }
  try {
    writeFileSync(flags.out, `${report}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(code === 'EEXIST' ? EXIT.usage : EXIT.needsYou, code === 'EEXIST' ? `${flags.out} already exists: give a new file name.` : `Could not write ${flags.out} (${code ?? 'error'}).`);
  }
  io.out(`Saved to ${flags.out}.\n`);
  return EXIT.ok;
}

export async function watch(api: LocalApiClient, io: Io, flags: Flags): Promise<ExitCode> {
  const linesFor = createWatcher();
  let first = true;
  const done = api.watch((delta) => {
    for (const line of linesFor(delta, io.now())) io.out(flags.json ? json(line) : `${watchText(line)}\n`);
    if (first) io.err('Watching for changes; Ctrl+C to stop.\n');
    first = false;
  });
  const how = await Promise.race([done.then(() => 'closed' as const), io.interrupted().then(() => 'interrupted' as const)]);
  api.close();
  if (how === 'closed') throw new CliError(EXIT.notRunning, 'The app closed the connection (did it quit?).');
  return EXIT.ok;
}
