/**
 * The `data2crm-tray` command: parses the command line, finds the running app's socket, runs one
 * command and returns its exit code. Every failure ends as one line on stderr (never a stack).
 */
import { homedir } from 'node:os';
import { parseArgs } from 'node:util';
import { appDataDir, localApiSocketPath } from '../shared/local-api.js';
import { openClient } from './client.js';
import * as commands from './commands.js';
import { parseMinutes } from './duration.js';
import { CliError, EXIT, usageError, type ExitCode } from './errors.js';
import { COMMAND_HELP, COMMANDS, PROGRAM_HELP, type Command } from './help.js';
import { defaultKeeperName, handover, MAX_WAIT_SECONDS, type HandoverStep } from './handover.js';

const OPTIONS = {
  json: { type: 'boolean' },
  all: { type: 'boolean' },
  for: { type: 'string' },
  out: { type: 'string' },
  socket: { type: 'string' },
  keeper: { type: 'string' },
  'to-socket': { type: 'string' },
  name: { type: 'string' },
  receipt: { type: 'string' },
  cancel: { type: 'boolean' },
  wait: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Which flags each command takes (the global ones, --socket, --keeper and --help, go with all). */
const FLAGS: Record<Command, readonly string[]> = {
  status: ['json'],
  key: [],
  refresh: ['all', 'json'],
  pause: ['for'],
  resume: [],
  open: [],
  connect: [],
  diagnostics: ['out'],
  watch: ['json'],
  handover: ['to-socket', 'out', 'name', 'receipt', 'cancel', 'wait'],
  help: [],
};
const TAKES_CONNECTION: ReadonlySet<Command> = new Set(['key', 'refresh', 'open', 'handover']);
const GLOBAL_FLAGS = new Set(['socket', 'keeper', 'help']);

/** The socket named on the command line or in the environment, else the running app's own. */
export function socketOf(flags: { socket?: string; keeper?: string }, env: NodeJS.ProcessEnv): { path: string; notRunning: string } {
  const named = flags.socket ?? flags.keeper ?? env['DATA2CRM_TRAY_SOCKET'];
  if (named) return { path: named, notRunning: `Nothing answers at ${named}: is the app (or the keeper) running there?` };
  const path = localApiSocketPath({ platform: process.platform, env, dataDir: appDataDir(process.platform, env, homedir()) });
  return { path, notRunning: 'Data2CRM Tray is not running. Start it (from your applications menu, or `npm start` in its folder), then try again.' };
}

function parse(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    // Node's words ("Unknown option '--jsn'") without its error code.
    throw usageError(`${(error as Error).message.replace(/^.*?: /, '').split('\n')[0]}.`.replace(/\.\.$/, '.'));
  }
}

const RECEIPT = /^[A-Za-z0-9]{8}$/;

/** `handover`'s one step: exactly one of --to-socket, --out, --receipt, --cancel (--name with the first two). */
function parseHandoverStep(connection: string | undefined, values: { 'to-socket'?: string; out?: string; name?: string; receipt?: string; cancel?: boolean; wait?: string }): HandoverStep {
  if (connection === undefined) throw usageError('Name the connection to hand over (a name, an id or its start, an org id or a username).');
  const given = [values['to-socket'] !== undefined, values.out !== undefined, values.receipt !== undefined, values.cancel === true].filter(Boolean).length;
  if (given !== 1) throw usageError('`handover` takes exactly one of --to-socket <keeper socket>, --out FILE, --receipt CODE, --cancel.');
  if (values.name !== undefined && (values.receipt !== undefined || values.cancel)) throw usageError('--name goes with --to-socket or --out only.');
  if (values.name !== undefined && (values.name.trim() === '' || values.name.length > 100)) throw usageError('--name is what the app will call the keeper: 1 to 100 characters.');
  if (values.wait !== undefined && values['to-socket'] === undefined) throw usageError('--wait goes with --to-socket only.');
  if (values.wait !== undefined && !(/^\d{1,4}$/.test(values.wait.trim()) && Number(values.wait) <= MAX_WAIT_SECONDS)) throw usageError(`--wait is how many seconds to wait for a keeper that stopped answering: 0 to ${MAX_WAIT_SECONDS}.`);
  if (values['to-socket'] !== undefined) return { kind: 'to-socket', socket: values['to-socket'], name: values.name ?? defaultKeeperName(values['to-socket']), ...(values.wait !== undefined ? { waitMs: Number(values.wait) * 1000 } : {}) };
  if (values.out !== undefined) return { kind: 'out', file: values.out, name: values.name ?? defaultKeeperName(null) };
  if (values.receipt !== undefined) {
    if (!RECEIPT.test(values.receipt.trim())) throw usageError('A receipt is the 8 letters and digits the keeper printed.');
    return { kind: 'receipt', receipt: values.receipt.trim() };
  }
  return { kind: 'cancel' };
}

export async function run(argv: readonly string[], io: commands.Io, env: NodeJS.ProcessEnv = process.env): Promise<ExitCode> {
  const { values, positionals } = parse(argv);
  const [name, ...rest] = positionals;
  // `help` alone is the program's help; `help --help` is the help command's own, like every command's.
  if (name === undefined || (name === 'help' && rest.length === 0 && !values.help)) {
    (values.help || name === 'help' ? io.out : io.err)(PROGRAM_HELP);
    return values.help || name === 'help' ? EXIT.ok : EXIT.usage;
  }
  if (!(COMMANDS as readonly string[]).includes(name)) throw usageError(`Unknown command “${name}”.`);
  const command = name as Command;
  if (command === 'help' || values.help) {
    const about = command === 'help' ? rest[0] : command;
    if (about !== undefined && !(COMMANDS as readonly string[]).includes(about)) throw usageError(`Unknown command “${about}”.`);
    io.out(`${COMMAND_HELP[(about ?? 'help') as Command]}\n`);
    return EXIT.ok;
  }
  for (const flag of Object.keys(values)) if (!GLOBAL_FLAGS.has(flag) && !FLAGS[command].includes(flag)) throw usageError(`\`${command}\` takes no --${flag}.`);
  const allowedPositionals = TAKES_CONNECTION.has(command) ? 1 : 0;
  if (rest.length > allowedPositionals) throw usageError(`\`${command}\` does not take “${rest[allowedPositionals]}”.`);

  // Usage mistakes are said before the app is asked: they need no running app, and exit 3, not 2.
  if ((command === 'key' || command === 'open') && rest[0] === undefined) throw usageError('Name a connection (a name, an id or its start, an org id or a username).');
  if (command === 'refresh' && !values.all && rest[0] === undefined) throw usageError('Name a connection to refresh, or use --all.');
  if (command === 'refresh' && values.all && rest[0] !== undefined) throw usageError('Give a connection or --all, not both.');
  if (command === 'pause' && values.for !== undefined) parseMinutes(values.for);
  const handoverStep = command === 'handover' ? parseHandoverStep(rest[0], values) : null;

  const socket = socketOf(values, env);
  const api = await openClient(socket.path, socket.notRunning);
  const flags: commands.Flags = { json: values.json ?? false, all: values.all ?? false, ...(values.for !== undefined ? { for: values.for } : {}), ...(values.out !== undefined ? { out: values.out } : {}) };
  try {
    switch (command) {
      case 'status':
        return await commands.status(api, io, flags);
      case 'key':
        return await commands.key(api, io, rest[0]!);
      case 'refresh':
        return await commands.refresh(api, io, rest[0], flags);
      case 'pause':
        return await commands.pause(api, io, flags);
      case 'resume':
        return await commands.resume(api, io);
      case 'open':
        return await commands.open(api, io, rest[0]!);
      case 'connect':
        return await commands.connect(api, io);
      case 'diagnostics':
        return await commands.diagnostics(api, io, flags);
      case 'watch':
        return await commands.watch(api, io, flags);
      case 'handover':
        return await handover(api, io, rest[0]!, handoverStep!);
    }
  } finally {
    api.close();
  }
}

/** One line for any failure: ours in our words, anything else by its first line only. */
export function failureLine(error: unknown): { code: ExitCode; line: string } {
  if (error instanceof CliError) return { code: error.exitCode, line: `data2crm-tray: ${error.message}\n` };
  const first = error instanceof Error ? error.message.split('\n')[0] : String(error);
  return { code: EXIT.needsYou, line: `data2crm-tray: unexpected failure: ${first}\n` };
}
