/**
 * What the command line may do through the local API, decided once per operation. Every IPC
 * channel of preload/contract.ts has an entry (the types fail when a new channel has none): either
 * the commands that use it, or the reason it is refused, which the command line prints as is. The
 * rule: a command line gets only what its commands need; anything that needs a person at a window
 * (a sign-in, the native confirmation of a new address, a dialog that asks first) or would put a
 * secret in a shell's history stays in the app.
 */
import type { InvokeChannel } from '../../preload/contract.js';
import type { CommandLineOperation } from '../../shared/local-api.js';

/** Which server answers on the socket: the desktop app, or a headless keeper. */
export type Face = 'app' | 'keeper';

/** `only`: the one face that serves it; the other refuses with `elsewhere`. */
export type Access = { readonly allowed: true; readonly usedBy: string; readonly only?: { readonly face: Face; readonly elsewhere: string } } | { readonly allowed: false; readonly reason: string };

const allow = (usedBy: string): Access => ({ allowed: true, usedBy });
const refuse = (reason: string): Access => ({ allowed: false, reason });
const keeperOnly = (usedBy: string, elsewhere: string): Access => ({ allowed: true, usedBy, only: { face: 'keeper', elsewhere } });

/** Whether this face serves the operation; the reason it refuses when not. */
export function accessFor(access: Access, face: Face): { allowed: true } | { allowed: false; reason: string } {
  if (!access.allowed) return { allowed: false, reason: access.reason };
  if (access.only && access.only.face !== face) return { allowed: false, reason: access.only.elsewhere };
  return { allowed: true };
}

const IN_THE_DIALOG = 'needs a sign-in or the connection’s dialog: open it from the tray or the notification.';

export const COMMAND_LINE_ACCESS: { readonly [C in InvokeChannel | CommandLineOperation]: Access } = {
  'app:get-info': allow('status (the app’s name and version)'),
  'state:get': allow('status, and finding a <connection> by name, id, org id or username'),
  'settings:get': refuse('Settings are shown in the app: open Settings from the tray.'),
  'settings:update': refuse('Changing settings is done in the app’s settings window: a new service address is used only after the app’s own confirmation dialog.'),
  'settings:use-local-sandbox': refuse('Pointing the app at a sandbox needs the app’s own confirmation dialog: use Settings → Account → Advanced.'),
  'account:set-user-key': refuse('The user key is typed into the app (Settings → Account): on a command line it would stay in the shell’s history.'),
  'account:test-user-key': refuse('Testing the user key is done in Settings → Account.'),
  'automation:set-paused': allow('pause [--for], resume'),
  'connections:connect': refuse('Connecting needs a sign-in window: `data2crm-tray connect` opens the connect wizard.'),
  'connections:cancel-sign-in': refuse('A sign-in is cancelled in its own window.'),
  'connections:rename': refuse('Renaming is done in the settings window.'),
  'connections:refresh-now': allow('refresh'),
  'connections:reauthorize': refuse(`Re-authorizing ${IN_THE_DIALOG}`),
  'connections:update-tokens': refuse('Tokens typed on a command line stay in the shell’s history: paste them into the connection’s dialog.'),
  'connections:register-again': refuse(`Registering again ${IN_THE_DIALOG}`),
  'connections:snooze': refuse('Notifications are snoozed from the connection’s dialog.'),
  'connections:disconnect': refuse('Disconnecting deletes the Data2CRM application and revokes the sign-in: do it in the app, which asks first.'),
  'connections:copy-application-key': refuse('The clipboard belongs to the desktop: `data2crm-tray key <connection>` prints the key instead.'),
  'connections:open-in-salesforce': allow('open'),
  'connections:copy-callback-url': refuse('The callback URL is copied in the connect wizard, which shows which one your app must list.'),
  'orphans:recover': refuse('Keychain entries without a connection are recovered in Settings → Connections, which shows what each holds.'),
  'orphans:delete': refuse('Keychain entries without a connection are deleted in Settings → Connections, which shows what each holds.'),
  'activity:list': refuse('The activity log is in the settings window; `watch` follows changes and `diagnostics` includes recent events.'),
  'diagnostics:preview': allow('diagnostics (the same redacted report Export writes)'),
  'diagnostics:export': refuse('Export asks where to save in a dialog: `data2crm-tray diagnostics --out FILE` writes the same report.'),
  'window:close': refuse('The command line has no window to close.'),
  'app:quit': refuse('Quit from the tray or the settings window.'),
  'connections:application-key': allow('key'),
  'app:show-connect': allow('connect'),
  // Hand-over. Begin answers the sealed package (encrypted: it opens only with the passphrase) and
  // the passphrase, which `handover` prints once as its output (output, never an argument: it
  // stays out of the shell's history); complete takes the keeper's receipt (no secret: it proves
  // the keeper opened this package and opens nothing); cancel gives the connection back to this
  // side, and its answer says what a cancel after the keeper took it would do. None of the three
  // needs a window. A keeper serves them too (a hand-back from a running keeper).
  'handover:begin': allow('handover <connection> --to-socket | --out (seals it for a keeper)'),
  'handover:complete': allow('handover <connection> --receipt (and --to-socket, once the keeper answered)'),
  'handover:cancel': allow('handover <connection> --cancel (and --to-socket, when the keeper refused it)'),
  'handover:to-file': refuse('The app’s hand-over asks where to save in a dialog: `data2crm-tray handover <connection> --out FILE` writes the same sealed file.'),
  // Taking a connection over the socket is what makes a keeper reachable without a window; the app
  // takes a hand-back in its window, where the person sees what arrives and types the passphrase.
  // A keeper answers the receipt of a package it took (by its id) to a sender that missed it; the
  // app's receipts go to the keeper's `handback --complete`, by hand.
  'handover:receipt': keeperOnly('handover --to-socket, on a hand-over under way to that keeper (its receipt, asked again)', 'Only a keeper answers a hand-over’s receipt over its socket: the app shows the receipt of a connection handed back to it in its window.'),
  'handover:receive': keeperOnly('handover --to-socket (the keeper takes the package sent to it)', 'The app takes a handed-back connection in its window: Settings → Connections → Take a handed-back connection…'),
};
