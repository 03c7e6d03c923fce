/**
 * An Electron stand-in for the shell tier: the part of the `electron` module that main/ and
 * preload/ use, with windows as real Chromium pages (Playwright) and the rest recording what main
 * gave it. One stand-in is one app run; test/shell/shell-app.ts loads the app against it. Each
 * file says which Electron doc it follows; test/README.md says what it can't imitate.
 */
import type { Browser, Request as PageRequest } from '@playwright/test';
import type * as electronApi from 'electron';
import type { CustomScheme } from 'electron';
import { StandInApp } from './app.js';
import { createBrowserWindowClass, type StandInBrowserWindow, type WindowHost } from './browser-window.js';
import { StandInIpcMain } from './ipc-main.js';
import { createNotificationClass, type StandInNotification } from './notification.js';
import { createSessionModule } from './session.js';
import { createClipboard, createDialog, createPowerMonitor, createSafeStorage, createShell, nativeTheme, net, type SystemRecords } from './system.js';
import { createTrayClass, nativeImage, StandInMenu, StandInMenuItem, type StandInTray } from './tray-menu.js';

export interface StandInOptions {
  readonly browser: Browser;
  readonly userData: string;
  readonly appPath: string;
  readonly version: string;
  readonly name?: string;
  /** Another instance holds the single-instance lock (this one must quit). */
  readonly otherInstanceRunning?: boolean;
}

type ProtocolHandler = (request: Request) => Response | Promise<Response>;

export function createElectronStandIn(options: StandInOptions) {
  const records: SystemRecords = { messageBoxes: [], nextMessageBoxResponse: 0, saveDialogs: [], nextSavePath: null, openedExternally: [], openedPaths: [], clipboard: '', encryptionAvailable: true, storageBackend: 'gnome_libsecret' };
  const trays: StandInTray[] = [];
  const notifications: StandInNotification[] = [];
  const privilegedSchemes = new Set<string>();
  const privileged: CustomScheme[] = [];
  const protocolHandlers = new Map<string, ProtocolHandler>();
  const ipcMain = new StandInIpcMain();
  const sessions = createSessionModule(options.browser);
  const windows: StandInBrowserWindow[] = [];
  const app = new StandInApp({ name: options.name ?? 'Data2CRM Tray', version: options.version, appPath: options.appPath, userData: options.userData, otherInstanceRunning: options.otherInstanceRunning ?? false, windows: () => [...windows] });

  const host: WindowHost = {
    windows,
    focused: null,
    loadFailures: [],
    privilegedSchemes,
    sessionFor: (partition) => sessions.module.fromPartition(partition ?? ''),
    invoke: (sender, frame, channel, args) => ipcMain.invoke(sender, frame, channel, args),
    async serveScheme(request: PageRequest, url: string) {
      const handler = protocolHandlers.get(new URL(url).protocol.slice(0, -1));
      if (!handler) return null;
      return handler(new Request(url, { method: request.method(), headers: request.headers() }));
    },
  };

  // https://www.electronjs.org/docs/latest/api/protocol
  const protocol = {
    registerSchemesAsPrivileged(schemes: CustomScheme[]) {
      if (app.isReady()) throw new Error('protocol.registerSchemesAsPrivileged should be called before app is ready');
      for (const scheme of schemes) {
        privileged.push(scheme);
        privilegedSchemes.add(scheme.scheme);
      }
    },
    handle(scheme: string, handler: ProtocolHandler) {
      if (protocolHandlers.has(scheme)) throw new Error(`The scheme '${scheme}' is already handled`);
      protocolHandlers.set(scheme, handler);
    },
    unhandle(scheme: string) {
      protocolHandlers.delete(scheme);
    },
    isProtocolHandled: (scheme: string) => protocolHandlers.has(scheme),
  };

  const BrowserWindow = createBrowserWindowClass(host);
  const electron = {
    app,
    BrowserWindow,
    webContents: { getAllWebContents: () => windows.map((window) => window.webContents) },
    Tray: createTrayClass(trays),
    Menu: StandInMenu,
    MenuItem: StandInMenuItem,
    nativeImage,
    Notification: createNotificationClass(notifications, () => true),
    ipcMain,
    protocol,
    session: sessions.module,
    safeStorage: createSafeStorage(records),
    powerMonitor: createPowerMonitor(),
    clipboard: createClipboard(records),
    dialog: createDialog(records),
    shell: createShell(records),
    net,
    nativeTheme,
  };

  return {
    /** What `import … from 'electron'` gives the app. */
    electron,
    app,
    ipcMain,
    records,
    trays,
    notifications,
    windows,
    privileged,
    loadFailures: host.loadFailures,
    sessions: sessions.all,
    focusedWindow: () => host.focused,
    /** The app's tray (the one not destroyed). */
    tray(): StandInTray {
      const live = trays.filter((tray) => !tray.isDestroyed());
      if (live.length !== 1) throw new Error(`expected one tray, found ${live.length}`);
      return live[0]!;
    },
    /** Closes what the app left open (after quit, or when a test ends early). */
    async close(): Promise<void> {
      for (const window of [...windows]) window.destroy();
      for (const session of sessions.all()) await session.close();
    },
  };
}

export type ElectronStandIn = ReturnType<typeof createElectronStandIn>;
export type StandInElectronModule = ElectronStandIn['electron'];

/**
 * Type-level referee: every export the stand-in offers exists in Electron's main-process API with
 * that name. Renaming or dropping a module in Electron breaks the type-check here.
 */
type ElectronMain = typeof electronApi;
type NotInElectron = Exclude<keyof StandInElectronModule, keyof ElectronMain>;
export const STAND_IN_EXPORTS_ARE_ELECTRONS: NotInElectron extends never ? true : NotInElectron = true;
