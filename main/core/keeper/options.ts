/**
 * The keeper's command line: `[run]`, `init-key`, `add --paste`, `connect --device`, `receive`,
 * `handback`, after the program as it was started (`invokedAs`). Parsed with node:util's
 * parseArgs (strict: an unknown flag is a usage error, never ignored). Secrets never come from
 * argv: keys, client secrets, tokens and the user key are read from files or stdin; `--webhook` takes a URL, `--webhook-file` a file holding one.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { err, ok, type Result } from '../result.js';

/** Exit codes: 0 done, 1 failed, 3 usage error (as the command line's), 78 refused to start (EX_CONFIG: systemd's unit does not restart on it). */
export const EXIT = { ok: 0, failed: 1, usage: 3, config: 78 } as const;

interface Common {
  /** The data folder: state.db, settings.json, secrets/ (encrypted), the lock. */
  readonly data: string;
  readonly keyFile: string | null;
  readonly userKeyFile: string | null;
  /** A local sandbox (`npm run sandbox`) to use for every service address. */
  readonly sandbox: string | null;
}

export interface RunOptions extends Common {
  readonly command: 'run';
  readonly metricsPort: number | null;
  readonly webhook: string | null;
  readonly webhookFile: string | null;
  /** What webhooks and the tray call this keeper (default: the host name). */
  readonly name: string | null;
}
export interface InitKeyOptions {
  readonly command: 'init-key';
  readonly keyFile: string;
}
export interface AddPasteOptions extends Common {
  readonly command: 'add';
  readonly label: string;
  readonly instanceUrl: string;
  readonly crmType: 'Salesforce' | 'SalesforceSandbox';
  /** The connected app the tokens came from: with it the keeper refreshes them itself. */
  readonly clientId: string | null;
  readonly clientSecretFile: string | null;
  readonly loginHost: string | null;
}
export interface ConnectDeviceOptions extends Common {
  readonly command: 'connect';
  readonly label: string;
  readonly crmType: 'Salesforce' | 'SalesforceSandbox';
  readonly clientId: string;
  readonly clientSecretFile: string | null;
  readonly loginHost: string | null;
}
/** Takes a connection sealed by the tray's hand-over: the file, its passphrase from a file or stdin. */
export interface ReceiveOptions extends Common {
  readonly command: 'receive';
  readonly file: string;
  readonly passphraseFile: string | null;
}
/** Gives a connection back (to the tray): begin (seal it into a file), then complete with the tray's receipt, or cancel. */
export interface HandbackOptions extends Common {
  readonly command: 'handback';
  readonly connection: string;
  readonly step: { readonly kind: 'begin'; readonly to: string; readonly out: string; readonly name: string | null } | { readonly kind: 'complete'; readonly receipt: string } | { readonly kind: 'cancel' };
}
export type KeeperCommand = RunOptions | InitKeyOptions | AddPasteOptions | ConnectDeviceOptions | ReceiveOptions | HandbackOptions | { readonly command: 'help'; readonly text: string };

export interface KeeperEnvironment {
  /** systemd's StateDirectory= sets this: the default data folder. */
  readonly STATE_DIRECTORY?: string | undefined;
  readonly D2C_KEEPER_DATA?: string | undefined;
}

const COMMON = {
  data: { type: 'string' },
  'key-file': { type: 'string' },
  'user-key-file': { type: 'string' },
  sandbox: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

const CONNECTION = { label: { type: 'string' }, 'crm-type': { type: 'string' }, 'client-id': { type: 'string' }, 'client-secret-file': { type: 'string' }, 'login-host': { type: 'string' } } as const satisfies ParseArgsConfig['options'];

const COMMON_HELP = `  --data DIR              the data folder (default: $STATE_DIRECTORY, as systemd's StateDirectory= sets it, or $D2C_KEEPER_DATA)
  --key-file FILE         the AES-256-GCM key for the encrypted secrets (else $CREDENTIALS_DIRECTORY/keeper-key, else /run/secrets/keeper-key)
  --user-key-file FILE    the Data2CRM user key, saved to the secret store (else $CREDENTIALS_DIRECTORY/user-key, else /run/secrets/user-key)
  --sandbox URL           use a local sandbox (npm run sandbox) for every service address (loopback only)`;

/**
 * How a person starts this keeper again, for its help and its messages: the Node binary and the
 * bundle's path exactly as this process was started (`node /opt/data2crm-keeper/keeper.mjs` from
 * the systemd unit, `node /app/keeper.mjs` in the image, `node <checkout>/out/keeper/keeper.mjs`
 * under `npm run keeper`). There is no `data2crm-tray keeper`: the command line only talks to a
 * running keeper, and a server has no command line installed.
 */
export function invokedAs(argv0: string, script: string | undefined): string {
  const quoted = (word: string) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`);
  return script ? `${quoted(argv0)} ${quoted(script)}` : quoted(argv0);
}

/** Every command's help, naming the program as it was started. */
export const keeperHelp = (program: string) => ({
  keeper: `Usage: ${program} [run] [options]     keep connections alive, 24/7, without a tray
       ${program} init-key --key-file FILE
       ${program} add --paste --label NAME --instance-url URL [--client-id ID] [options] < tokens
       ${program} connect --device --label NAME --client-id ID [options]
       ${program} receive FILE [--passphrase-file FILE] [options]
       ${program} handback --connection ID (--to NAME --out FILE | --complete --receipt CODE | --cancel) [options]

Options for run:
${COMMON_HELP}
  --metrics-port N        serve GET /healthz and GET /metrics (Prometheus) on 127.0.0.1:N (0: any free port, logged)
  --webhook URL           post each notification (Slack-compatible JSON) to this URL
  --webhook-file FILE     the same, the URL read from a file (a Slack webhook URL is a secret)
  --name NAME             what notifications call this keeper (default: the host name)

Logs are JSON lines on stdout. SIGTERM finishes the check in flight, commits and exits.
Exit codes: 0 stopped cleanly, 1 failed, 3 usage error, 78 refused to start (configuration).`,
  'init-key': `Usage: ${program} init-key --key-file FILE

Writes a new random 256-bit key to FILE (mode 0600; an existing file is never overwritten).
Give it to the keeper with --key-file FILE, systemd's LoadCredential=keeper-key:FILE, or a Docker secret named keeper-key.
Keep a copy somewhere safe: without it the encrypted secrets cannot be read.`,
  add: `Usage: ${program} add --paste --label NAME --instance-url URL [--client-id ID] [--client-secret-file FILE] [--login-host URL] [--crm-type Salesforce|SalesforceSandbox] [options] < tokens

Reads the access token (first line) and the refresh token (second line, optional) from stdin.
With --client-id (the connected app the tokens came from) the keeper refreshes them itself;
without it they are only verified, and must be pasted again when they expire.
${COMMON_HELP}`,
  connect: `Usage: ${program} connect --device --label NAME --client-id ID [--client-secret-file FILE] [--login-host URL] [--crm-type Salesforce|SalesforceSandbox] [options]

Salesforce's device flow for your own connected app (enable "device flow" on it): prints a code and
an address; open the address on any device, sign in and enter the code. The keeper then registers
the connection and keeps it alive.
${COMMON_HELP}`,
  receive: `Usage: ${program} receive FILE [--passphrase-file FILE] [options]

Takes a connection the tray handed over (the sealed file its hand-over wrote), with the
one-time passphrase it showed (from --passphrase-file, else stdin). Prints a receipt: give it to the
tray to finish the hand-over. From then on this keeper renews the connection and the tray does not.
Taking the same file again prints the same receipt.
${COMMON_HELP}`,
  handback: `Usage: ${program} handback --connection ID --to NAME --out FILE [--name NAME] [options]
       ${program} handback --connection ID --complete --receipt CODE [options]
       ${program} handback --connection ID --cancel [options]

Gives a connection back: the keeper stops renewing it and seals it into FILE (mode 0600) with a
one-time passphrase it prints; the tray takes the file and shows a receipt; --complete with that
receipt makes the keeper forget the connection (its Data2CRM application stays). --cancel (only if
the tray did not take it) makes the keeper renew it again.
${COMMON_HELP}`,
});
type Help = ReturnType<typeof keeperHelp>;

type Parsed = Record<string, string | boolean | undefined>;

function common(values: Parsed, env: KeeperEnvironment): Result<Common, string> {
  const data = (values['data'] as string | undefined) ?? env.STATE_DIRECTORY ?? env.D2C_KEEPER_DATA;
  if (!data) return err('Say where the keeper keeps its data: --data DIR (or run it under systemd with StateDirectory=).');
  return ok({ data, keyFile: (values['key-file'] as string | undefined) ?? null, userKeyFile: (values['user-key-file'] as string | undefined) ?? null, sandbox: (values['sandbox'] as string | undefined) ?? null });
}

function crmType(values: Parsed): Result<'Salesforce' | 'SalesforceSandbox', string> {
  const type = (values['crm-type'] as string | undefined) ?? 'Salesforce';
  return type === 'Salesforce' || type === 'SalesforceSandbox' ? ok(type) : err('--crm-type is Salesforce or SalesforceSandbox.');
}

function required(values: Parsed, name: string): Result<string, string> {
  const value = values[name];
  return typeof value === 'string' && value.trim() !== '' ? ok(value) : err(`--${name} is required.`);
}

function port(text: string | undefined): Result<number | null, string> {
  if (text === undefined) return ok(null);
  const n = Number(text);
  return /^\d+$/.test(text) && n >= 0 && n <= 65535 ? ok(n) : err('--metrics-port is a port number (0-65535).');
}

function parseRun(args: string[], env: KeeperEnvironment, helps: Help): Result<KeeperCommand, string> {
  const { values } = parseArgs({ args, options: { ...COMMON, 'metrics-port': { type: 'string' }, webhook: { type: 'string' }, 'webhook-file': { type: 'string' }, name: { type: 'string' } }, strict: true, allowPositionals: false });
  if (values.help) return ok({ command: 'help', text: helps.keeper });
  const base = common(values, env);
  if (!base.ok) return base;
  const metricsPort = port(values['metrics-port']);
  if (!metricsPort.ok) return metricsPort;
  if (values.webhook && values['webhook-file']) return err('Give --webhook or --webhook-file, not both.');
  return ok({ command: 'run', ...base.value, metricsPort: metricsPort.value, webhook: values.webhook ?? null, webhookFile: values['webhook-file'] ?? null, name: values.name ?? null });
}

function parseAdd(args: string[], env: KeeperEnvironment, helps: Help): Result<KeeperCommand, string> {
  const { values } = parseArgs({ args, options: { ...COMMON, ...CONNECTION, paste: { type: 'boolean' }, 'instance-url': { type: 'string' } }, strict: true, allowPositionals: false });
  if (values.help) return ok({ command: 'help', text: helps.add });
  if (!values.paste) return err('`add` takes its tokens with --paste (from stdin).');
  const base = common(values, env);
  if (!base.ok) return base;
  const label = required(values, 'label');
  if (!label.ok) return label;
  const instanceUrl = required(values, 'instance-url');
  if (!instanceUrl.ok) return instanceUrl;
  const type = crmType(values);
  if (!type.ok) return type;
  return ok({ command: 'add', ...base.value, label: label.value, instanceUrl: instanceUrl.value, crmType: type.value, clientId: values['client-id'] ?? null, clientSecretFile: values['client-secret-file'] ?? null, loginHost: values['login-host'] ?? null });
}

function parseConnect(args: string[], env: KeeperEnvironment, helps: Help): Result<KeeperCommand, string> {
  const { values } = parseArgs({ args, options: { ...COMMON, ...CONNECTION, device: { type: 'boolean' } }, strict: true, allowPositionals: false });
  if (values.help) return ok({ command: 'help', text: helps.connect });
  if (!values.device) return err('A keeper has no browser: connect with --device (Salesforce’s device flow).');
  const base = common(values, env);
  if (!base.ok) return base;
  const label = required(values, 'label');
  if (!label.ok) return label;
  const clientId = required(values, 'client-id');
  if (!clientId.ok) return clientId;
  const type = crmType(values);
  if (!type.ok) return type;
  return ok({ command: 'connect', ...base.value, label: label.value, crmType: type.value, clientId: clientId.value, clientSecretFile: values['client-secret-file'] ?? null, loginHost: values['login-host'] ?? null });
}

function parseReceive(args: string[], env: KeeperEnvironment, helps: Help): Result<KeeperCommand, string> {
  const { values, positionals } = parseArgs({ args, options: { ...COMMON, 'passphrase-file': { type: 'string' } }, strict: true, allowPositionals: true });
  if (values.help) return ok({ command: 'help', text: helps.receive });
  const base = common(values, env);
  if (!base.ok) return base;
  if (positionals.length !== 1) return err('Name the file to receive: `receive FILE`.');
  return ok({ command: 'receive', ...base.value, file: positionals[0]!, passphraseFile: values['passphrase-file'] ?? null });
}

function parseHandback(args: string[], env: KeeperEnvironment, helps: Help): Result<KeeperCommand, string> {
  const { values } = parseArgs({ args, options: { ...COMMON, connection: { type: 'string' }, to: { type: 'string' }, out: { type: 'string' }, name: { type: 'string' }, complete: { type: 'boolean' }, receipt: { type: 'string' }, cancel: { type: 'boolean' } }, strict: true, allowPositionals: false });
  if (values.help) return ok({ command: 'help', text: helps.handback });
  const base = common(values, env);
  if (!base.ok) return base;
  const connection = required(values, 'connection');
  if (!connection.ok) return connection;
  if (values.complete && values.cancel) return err('Give --complete or --cancel, not both.');
  if (values.cancel) return ok({ command: 'handback', ...base.value, connection: connection.value, step: { kind: 'cancel' } });
  if (values.complete) {
    const receipt = required(values, 'receipt');
    return receipt.ok ? ok({ command: 'handback', ...base.value, connection: connection.value, step: { kind: 'complete', receipt: receipt.value } }) : receipt;
  }
  const to = required(values, 'to');
  if (!to.ok) return to;
  const out = required(values, 'out');
  if (!out.ok) return out;
  return ok({ command: 'handback', ...base.value, connection: connection.value, step: { kind: 'begin', to: to.value, out: out.value, name: values.name ?? null } });
}

function parseInitKey(args: string[], helps: Help): Result<KeeperCommand, string> {
  const { values } = parseArgs({ args, options: { 'key-file': { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false });
  if (values.help) return ok({ command: 'help', text: helps['init-key'] });
  const keyFile = required(values, 'key-file');
  return keyFile.ok ? ok({ command: 'init-key', keyFile: keyFile.value }) : keyFile;
}

/** The arguments after the program (`invokedAs`). A usage error is one sentence, with the command's help after it. */
export function parseKeeperCommand(args: readonly string[], env: KeeperEnvironment, program: string): Result<KeeperCommand, { message: string; help: string }> {
  const helps = keeperHelp(program);
  const [first, ...rest] = args;
  const sub = first === undefined || first.startsWith('-') ? 'run' : first;
  const tail = first === undefined || first.startsWith('-') ? [...args] : rest;
  const parsers: Record<string, () => Result<KeeperCommand, string>> = {
    run: () => parseRun(tail, env, helps),
    'init-key': () => parseInitKey(tail, helps),
    add: () => parseAdd(tail, env, helps),
    connect: () => parseConnect(tail, env, helps),
    receive: () => parseReceive(tail, env, helps),
    handback: () => parseHandback(tail, env, helps),
    help: () => ok({ command: 'help', text: helps.keeper }),
  };
  const parser = parsers[sub];
  const help = sub in helps ? helps[sub as keyof typeof helps] : helps.keeper;
  if (!parser) return err({ message: `Unknown keeper command “${sub}”.`, help: helps.keeper });
  try {
    const parsed = parser();
    return parsed.ok ? parsed : err({ message: parsed.error, help });
  } catch (error) {
    // parseArgs's own words for an unknown or malformed flag (they name the flag, never a value).
    const message = error instanceof Error ? error.message.split('\n')[0]! : 'The arguments could not be read.';
    return err({ message, help });
  }
}
