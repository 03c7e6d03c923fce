/**
 * The desktop's ports on a server, honestly: there is no browser, no sign-in window, no
 * clipboard and no login item, so these refuse with a reason instead of pretending to work. The
 * core then does what it does when such a part fails (a silent re-authorization of an internal
 * connection fails and the connection asks for the user, as it does when the session is gone).
 * What a server does have is used: diagnostics are written into the data folder.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AuthBrowser, Clipboard, ConfirmEndpoints, LoginItem, RedirectListener, SaveDiagnostics } from '../core/ports.js';

const NO_BROWSER = 'A keeper runs without a browser: sign in with the keeper’s `connect --device`, or hand the connection over from the tray app.';

/** No window opens: every sign-in ends at once, as a closed window does. */
export const headlessBrowser: AuthBrowser = {
  open: () => ({ outcome: Promise.resolve({ kind: 'closed' }), close: () => undefined }),
  forgetSession: async () => undefined,
};

/** No redirect can arrive where no browser runs. */
export const headlessListener: RedirectListener = {
  start: () => Promise.reject(new Error(NO_BROWSER)),
};

export const headlessClipboard: Clipboard = {
  writeText: () => {
    throw new Error('A keeper has no clipboard: use `data2crm-tray key <connection>` on the machine that needs the key.');
  },
};

/** Starting with the machine is the service manager's job (systemd's WantedBy=, Docker's restart policy). */
export const headlessLoginItem: LoginItem = {
  get: () => false,
  set: () => {
    throw new Error('A keeper starts with the machine through its service manager (systemd unit or Docker restart policy), not a login item.');
  },
};

/** Addresses come from the keeper's command line (the operator's own choice), never from a question nobody can answer. */
export const refuseNewEndpoints: ConfirmEndpoints = async () => false;

/** Diagnostics go into the data folder (the operator copies them from there). */
export function diagnosticsIntoFolder(folder: string): SaveDiagnostics {
  return async (json) => {
    const path = join(folder, `diagnostics-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(path, json, { mode: 0o600, flag: 'wx' });
    return path;
  };
}
