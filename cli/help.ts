/** `--help` for the program and for every command: what it does, its flags, an example. */

export const COMMANDS = ['status', 'key', 'refresh', 'pause', 'resume', 'open', 'connect', 'diagnostics', 'watch', 'handover', 'help'] as const;
export type Command = (typeof COMMANDS)[number];

const GLOBAL = `Global flags:
  --socket <path>   talk to the app (or a keeper) listening at this socket instead of the
                    running app's own (also: --keeper <path>, or $DATA2CRM_TRAY_SOCKET)
  -h, --help        this help; \`data2crm-tray <command> --help\` for one command`;

export const PROGRAM_HELP = `data2crm-tray: the command line of the running Data2CRM Tray app

Usage: data2crm-tray [--socket <path>] <command> [flags]

Commands:
  status [--json]                 connections and their state, like the tray shows them
  key <connection>                print a connection's Data2CRM application key
  refresh <connection>|--all      refresh now, wait, and print the outcome
  pause [--for 1h]                pause automatic refresh (for a while, or until resume)
  resume                          resume automatic refresh
  open <connection>               open the connection's Salesforce org in the browser
  connect                         open the app's connect wizard
  diagnostics [--out FILE]        the redacted diagnostics report (stdout, or FILE)
  watch [--json]                  one line per change until Ctrl+C
  handover <connection> --to-socket <keeper socket> | --out FILE | --receipt CODE | --cancel
                                  move a connection to a headless keeper (it renews it from then on)

<connection> is a name, an id or its unique prefix, an org id or a username.

Exit codes: 0 done (status: nothing needs you), 1 something needs you or the action failed,
2 the app is not running (or its socket is not safe), 3 usage error.

${GLOBAL}

Examples:
  curl -H "X-API2CRM-APPLICATION-KEY: $(data2crm-tray key prod)" …
  data2crm-tray status --json | jq -r '.connections[] | select(.needsYou) | .name'
  data2crm-tray refresh --all && ./run-batch.sh
`;

export const COMMAND_HELP: Record<Command, string> = {
  status: `Usage: data2crm-tray status [--json]

Every connection with its mode, user, instance, state (the tray's words) and next renewal.
  --json   the same as JSON (schema: docs/cli/status.schema.json, schemaVersion 1; times ISO 8601)

Exit code 0 when nothing needs you, 1 when a connection (or the user key) does, 2 when the app
is not running, 3 for a usage error.

Example: data2crm-tray status --json | jq '.connections[] | {name, state}'`,
  key: `Usage: data2crm-tray key <connection>

Prints the connection's Data2CRM application key and a newline, nothing else (as "Copy
application key" in the tray gives it). Tokens are never printed.

Example: curl -H "X-API2CRM-APPLICATION-KEY: $(data2crm-tray key prod)" …`,
  refresh: `Usage: data2crm-tray refresh <connection> | --all [--json]

Refreshes now (renews the tokens where the app does, verifies them with Data2CRM), waits for
the outcome and prints it. Exit code 1 when any refresh did not succeed.
  --all    every connection
  --json   the outcomes as JSON: {"schemaVersion":1,"results":[{"id","name","ok","message"}]}

Example: data2crm-tray refresh --all && ./run-batch.sh`,
  pause: `Usage: data2crm-tray pause [--for <duration>]

Pauses automatic refresh, until \`data2crm-tray resume\` or for the given time (30m, 1h, 1h30m,
2d; up to 7d), as the tray's "Pause" does.

Example: data2crm-tray pause --for 1h`,
  resume: `Usage: data2crm-tray resume

Resumes automatic refresh.`,
  open: `Usage: data2crm-tray open <connection>

Opens the connection's Salesforce org in the browser (only a trusted Salesforce address).`,
  connect: `Usage: data2crm-tray connect

Opens the app's connect wizard: signing in needs a window, so the rest happens there.`,
  diagnostics: `Usage: data2crm-tray diagnostics [--out FILE]

The diagnostics report (the same redacted JSON the app's Export writes): to stdout, or to FILE
(created readable by you only; an existing file is not replaced).`,
  watch: `Usage: data2crm-tray watch [--json]

One line per change (a connection added, removed, renamed or in another state; the app paused,
needing attention or refusing the user key) until Ctrl+C.
  --json   one JSON object per line (schema: docs/cli/watch.schema.json), flushed per change

Example: data2crm-tray watch --json | jq -c 'select(.needsYou)'`,
  handover: `Usage: data2crm-tray handover <connection> --to-socket <keeper socket> [--name NAME] [--wait SECONDS]
       data2crm-tray handover <connection> --out FILE [--name NAME]
       data2crm-tray handover <connection> --receipt CODE
       data2crm-tray handover <connection> --cancel

Moves one connection from the app to a keeper (data2crm-keeper): the keeper renews it from then
on, and the app shows it as "kept by NAME" and never refreshes it itself (two refreshers would
break a rotating refresh token). From the moment the app seals it until the keeper's receipt
arrives, nobody renews it: finish or cancel soon (after 15 minutes, or before its token would
expire, the app tells you).
  --to-socket <path>  all in one go, over the keeper's socket (<its data folder>/run/local-api.sock):
                      seal, send, the keeper's receipt, done. The keeper refuses: the app keeps
                      it again. The keeper stops answering: the same package is sent again when it
                      answers (for up to 60 s, or --wait SECONDS); the words say what state it is
                      in otherwise. Run again while that hand-over is under way: the keeper is
                      asked for its receipt and it is finished (or the keeper says it never took it).
  --out FILE          seal it into FILE (new, readable by you only). The passphrase is printed
                      once, alone on stdout (the next steps on stderr): copy FILE to the keeper's
                      machine, run \`data2crm-keeper receive FILE\` there, type the passphrase.
  --receipt CODE      finish: the code the keeper printed when it took the package.
  --cancel            only while the keeper has not taken it: the app keeps it again.
  --name NAME         what the app calls the keeper ("kept by NAME"; default: where it listens).
  --wait SECONDS      with --to-socket: how long to wait for a keeper that stopped answering
                      after the package went out (0 to 3600; default 60).

Exit codes: 0 done, 1 not done (the message says the connection's state and what to do),
2 the app (or, with --to-socket, the keeper: nothing begun) cannot be reached, 3 usage error.

Examples:
  data2crm-tray handover prod --to-socket /var/lib/data2crm-keeper/run/local-api.sock --name keeper-1
  data2crm-tray handover prod --out prod.d2ckeep > passphrase.txt`,
  help: `Usage: data2crm-tray help [<command>]

This help, or one command's.`,
};
