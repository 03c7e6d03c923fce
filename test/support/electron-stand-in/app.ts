/**
 * `app` (https://www.electronjs.org/docs/latest/api/app). Imitated: `ready` once, after the test
 * calls launch() (Electron: after the main script's first turn); whenReady; the single-instance
 * lock (held by "another instance" when the test says so) and `second-instance`; quit() →
 * cancellable `before-quit`, windows closed (each `close` cancellable), `will-quit`, `quit`;
 * getPath for userData/logs/appData/temp/home; no `dock` off macOS; the default protocol client
 * (https://www.electronjs.org/docs/latest/api/app#appsetasdefaultprotocolclientprotocol-path-args):
 * the claim is recorded, and `openUrl` is what macOS does when the OS hands the app a URL of a
 * claimed scheme (https://www.electronjs.org/docs/latest/api/app#event-open-url-macos).
 */
import type { LoginItemSettings, Settings } from 'electron';
import { EventEmitter } from 'node:events';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StandInBrowserWindow } from './browser-window.js';
import { preventable } from './events.js';

export interface AppOptions {
  readonly name: string;
  readonly version: string;
  readonly appPath: string;
  readonly userData: string;
  readonly otherInstanceRunning: boolean;
  readonly windows: () => StandInBrowserWindow[];
}

export class StandInApp extends EventEmitter implements Pick<Electron.App, 'getVersion' | 'getAppPath' | 'isReady' | 'requestSingleInstanceLock' | 'getLoginItemSettings' | 'setLoginItemSettings' | 'setAsDefaultProtocolClient' | 'isDefaultProtocolClient'> {
  readonly isPackaged = false;
  readonly dock = undefined;
  readonly name: string;
  quitCount = 0;
  hasQuit = false;
  loginItem: Settings = { openAtLogin: false };
  /** Schemes the app claimed, with the command the OS would start (path and args as given). */
  readonly protocolClients = new Map<string, { path?: string; args?: string[] }>();
  private ready = false;
  private readonly readyPromise: Promise<void>;
  private resolveReady: () => void = () => undefined;

  constructor(private readonly options: AppOptions) {
    super();
    this.name = options.name;
    this.readyPromise = new Promise((resolve) => {
      this.resolveReady = resolve;
    });
  }

  /** The stand-in's equivalent of Electron finishing its start: emits `ready` once. */
  launch(): void {
    if (this.ready) return;
    this.ready = true;
    this.emit('ready', preventable(), {});
    this.resolveReady();
  }

  whenReady(): Promise<void> {
    return this.readyPromise;
  }

  isReady(): boolean {
    return this.ready;
  }

  requestSingleInstanceLock(): boolean {
    return !this.options.otherInstanceRunning;
  }

  /** What Electron does in the first instance when the app is started again. */
  startSecondInstance(argv: string[] = []): void {
    this.emit('second-instance', preventable(), argv, process.cwd(), {});
  }

  getVersion(): string {
    return this.options.version;
  }

  getAppPath(): string {
    return this.options.appPath;
  }

  getPath(name: Parameters<Electron.App['getPath']>[0]): string {
    switch (name) {
      case 'userData':
        return this.options.userData;
      case 'logs':
        return join(this.options.userData, 'logs');
      case 'appData':
        return join(this.options.userData, '..');
      case 'temp':
        return tmpdir();
      case 'home':
        return homedir();
      default:
        throw new Error(`app.getPath('${name}') is not imitated by the stand-in (add it in test/support/electron-stand-in/app.ts)`);
    }
  }

  getLoginItemSettings(): LoginItemSettings {
    return { openAtLogin: this.loginItem.openAtLogin ?? false } as LoginItemSettings;
  }

  setLoginItemSettings(settings: Settings): void {
    this.loginItem = { ...settings };
  }

  setAsDefaultProtocolClient(protocol: string, path?: string, args?: string[]): boolean {
    this.protocolClients.set(protocol, { ...(path ? { path } : {}), ...(args ? { args } : {}) });
    return true;
  }

  isDefaultProtocolClient(protocol: string): boolean {
    return this.protocolClients.has(protocol);
  }

  private claimOf(url: string): { path?: string; args?: string[] } {
    const scheme = url.slice(0, Math.max(0, url.indexOf(':')));
    const claim = this.protocolClients.get(scheme);
    if (!claim) throw new Error(`the OS would not hand ${scheme}: URLs to this app: it never claimed the scheme`);
    return claim;
  }

  /** macOS handing the app a URL of a scheme it claimed (a link clicked, a browser's redirect). */
  openUrl(url: string): void {
    this.claimOf(url);
    this.emit('open-url', preventable(), url);
  }

  /**
   * Windows and Linux handing the app such a URL: the OS starts the claimed command again with the
   * URL as its last argument; that instance finds the lock taken, and this one gets `second-instance`.
   */
  startedAgainWithUrl(url: string): void {
    const claim = this.claimOf(url);
    this.startSecondInstance([claim.path ?? process.execPath, ...(claim.args ?? []), url]);
  }

  quit(): void {
    this.quitCount++;
    if (this.hasQuit) return;
    const beforeQuit = preventable();
    this.emit('before-quit', beforeQuit);
    if (beforeQuit.defaultPrevented) return;
    for (const window of this.options.windows()) window.close();
    // A window that cancelled its close keeps the app running (Electron: quit is cancelled).
    if (this.options.windows().length > 0) return;
    const willQuit = preventable();
    this.emit('will-quit', willQuit);
    if (willQuit.defaultPrevented) return;
    this.hasQuit = true;
    this.emit('quit', preventable(), 0);
  }
}
