/**
 * The app's custom scheme (shared/callback-urls.ts) as the OS sees it: the app claims it at start
 * (the installers declare it too: electron-builder.yml `protocols`), and every URL the OS hands
 * over goes to the core, which ends a pending sign-in only with a genuine redirect. macOS delivers
 * such a URL with `open-url`; Windows and Linux start the app again with the URL as an argument,
 * which the running instance receives with `second-instance` (main/index.ts passes its argv here).
 */
import { app } from 'electron';
import { resolve } from 'node:path';
import { CUSTOM_SCHEME } from '../../shared/callback-urls.js';

const MAX_ARGS = 50;

/** Our scheme's URLs among a command line's arguments (a second start on Windows and Linux). */
export function callbackUrlsIn(argv: readonly string[]): string[] {
  return argv.slice(0, MAX_ARGS).filter((arg) => typeof arg === 'string' && arg.slice(0, CUSTOM_SCHEME.length + 1).toLowerCase() === `${CUSTOM_SCHEME}:`);
}

/** Claims the scheme for this app; `deliver` gets every URL the OS hands over on macOS. True when the OS took the claim. */
export function claimCallbackScheme(deliver: (url: string) => void): boolean {
  // https://www.electronjs.org/docs/latest/api/app#event-open-url-macos
  app.on('open-url', (event, url) => {
    event.preventDefault();
    deliver(url);
  });
  // https://www.electronjs.org/docs/latest/api/app#appsetasdefaultprotocolclientprotocol-path-args
  // Run from source (electron .), the OS must start Electron with the app's path.
  const script = process.argv[1];
  return process.defaultApp && script ? app.setAsDefaultProtocolClient(CUSTOM_SCHEME, process.execPath, [resolve(script)]) : app.setAsDefaultProtocolClient(CUSTOM_SCHEME);
}
