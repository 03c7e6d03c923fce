/**
 * `BrowserWindow` (https://www.electronjs.org/docs/latest/api/browser-window): the options are kept
 * as given (tests read the webPreferences), the page is a real Chromium page (web-contents.ts).
 * Imitated: `show: false` + `ready-to-show` after the first load; show/hide/focus/minimize state;
 * `close()` emits a cancellable `close`, then `closed`; `destroy()` skips `close`; the focused
 * window is the last one shown or focused and still visible.
 */
import type { BrowserWindowConstructorOptions } from 'electron';
import { EventEmitter } from 'node:events';
import { preventable } from './events.js';
import type { StandInSession } from './session.js';
import { StandInWebContents, type WebContentsHost } from './web-contents.js';

export interface WindowHost extends WebContentsHost {
  readonly windows: StandInBrowserWindow[];
  focused: StandInBrowserWindow | null;
  sessionFor(partition: string | undefined): StandInSession;
}

export class StandInBrowserWindow extends EventEmitter implements Pick<Electron.BrowserWindow, 'show' | 'hide' | 'focus' | 'minimize' | 'restore' | 'isVisible' | 'isMinimized' | 'isFocused' | 'isDestroyed' | 'getTitle' | 'close' | 'destroy'> {
  readonly webContents: StandInWebContents;
  private visible = false;
  private minimized = false;
  private destroyed = false;

  constructor(
    private readonly host: WindowHost,
    readonly options: BrowserWindowConstructorOptions = {},
  ) {
    super();
    const preferences = options.webPreferences ?? {};
    this.webContents = new StandInWebContents(host.sessionFor(preferences.partition), host, preferences.preload);
    host.windows.push(this);
    if (options.show !== false) this.show();
    else this.webContents.once('did-finish-load', () => this.emit('ready-to-show'));
  }

  get title(): string {
    return this.options.title ?? '';
  }

  loadURL(url: string): Promise<void> {
    return this.webContents.loadURL(url);
  }

  show(): void {
    const wasHidden = !this.visible;
    this.visible = true;
    this.minimized = false;
    this.focus();
    // https://www.electronjs.org/docs/latest/api/browser-window#event-show
    if (wasHidden) this.emit('show');
  }

  hide(): void {
    this.visible = false;
    if (this.host.focused === this) this.host.focused = null;
  }

  focus(): void {
    if (this.visible) this.host.focused = this;
  }

  minimize(): void {
    this.minimized = true;
    if (this.host.focused === this) this.host.focused = null;
  }

  restore(): void {
    const wasMinimized = this.minimized;
    this.minimized = false;
    // https://www.electronjs.org/docs/latest/api/browser-window#event-restore
    if (wasMinimized) this.emit('restore');
  }

  isVisible(): boolean {
    return this.visible && !this.minimized;
  }

  isMinimized(): boolean {
    return this.minimized;
  }

  isFocused(): boolean {
    return this.host.focused === this;
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  getTitle(): string {
    return this.title;
  }

  /** Like the user closing it (or window.close() from main): cancellable through `close`. */
  close(): void {
    if (this.destroyed) return;
    const event = preventable();
    this.emit('close', event);
    if (!event.defaultPrevented) this.destroy();
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.visible = false;
    if (this.host.focused === this) this.host.focused = null;
    this.host.windows.splice(this.host.windows.indexOf(this), 1);
    void this.webContents.destroy();
    this.emit('closed');
  }
}

/** The `BrowserWindow` export: the class main constructs, with its static lookups. */
export function createBrowserWindowClass(host: WindowHost) {
  return class BrowserWindow extends StandInBrowserWindow {
    constructor(options: BrowserWindowConstructorOptions = {}) {
      super(host, options);
    }

    static getAllWindows(): StandInBrowserWindow[] {
      return [...host.windows];
    }

    static getFocusedWindow(): StandInBrowserWindow | null {
      return host.focused;
    }
  };
}
