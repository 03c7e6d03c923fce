/**
 * `webContents` (https://www.electronjs.org/docs/latest/api/web-contents) over one Playwright page.
 * Every request of the page is routed here, so the navigation events fire from the page's real
 * navigations:
 * - `will-navigate` / `will-frame-navigate`: a navigation the page starts (link, form, location),
 *   not one from loadURL; preventDefault() cancels it.
 * - `will-redirect`: a server redirect during a navigation (loadURL's too); preventDefault() stops it.
 * - `did-navigate` after a cross-document navigation commits, `did-navigate-in-page` after a
 *   fragment or history change.
 * - `setWindowOpenHandler`: asked for each popup; `deny` closes it before it is used.
 * - `protocol.handle` schemes are served from the handler (see scheme-url.ts).
 */
import type { Frame, Page, Request as PageRequest, Route } from '@playwright/test';
import { EventEmitter } from 'node:events';
import { preventable } from './events.js';
import { EMIT_FUNCTION, INVOKE_BINDING, preloadInitScript } from './preload-in-page.js';
import { fromPageUrl, toPageUrl } from './scheme-url.js';
import type { StandInSession } from './session.js';

export interface WebContentsHost {
  readonly privilegedSchemes: ReadonlySet<string>;
  serveScheme(request: PageRequest, url: string): Promise<Response | null>;
  invoke(sender: StandInWebContents, frame: Frame, channel: string, args: unknown[]): Promise<{ value: unknown } | { error: string }>;
  /** Failures Electron would report through loadURL's promise and did-fail-load. */
  readonly loadFailures: { url: string; error: string }[];
}

type WindowOpenHandler = Parameters<Electron.WebContents['setWindowOpenHandler']>[0];

/** The part of WebFrameMain main/ reads: the frame's current URL. */
export class StandInFrame {
  constructor(private readonly frame: Frame) {}
  get url(): string {
    return fromPageUrl(this.frame.url());
  }
}

let nextId = 1;

export class StandInWebContents extends EventEmitter {
  readonly id = nextId++;
  readonly page: Promise<Page>;
  readonly deniedWindowOpens: string[] = [];
  /** Every URL the main frame committed to, as main would see it (did-navigate and in-page). */
  readonly committedUrls: string[] = [];
  private windowOpenHandler: WindowOpenHandler | null = null;
  private frames = new WeakMap<Frame, StandInFrame>();
  private resolvedPage: Page | null = null;
  private destroyed = false;
  /** Page URLs whose navigation request must not count as page-initiated (loadURL, followed redirects). */
  private expected = new Set<string>();
  private documentRequested = false;
  private lastStatus = 0;

  constructor(
    readonly session: StandInSession,
    private readonly host: WebContentsHost,
    preloadPath: string | undefined,
  ) {
    super();
    this.page = this.open(preloadPath);
    // A window closed before its page exists must not fail the app: the failure is the page's.
    this.page.catch(() => undefined);
    session.trackOpening(this.page);
  }

  private async open(preloadPath: string | undefined): Promise<Page> {
    const context = await this.session.browserContext();
    const page = await context.newPage();
    if (preloadPath) {
      await page.exposeBinding(INVOKE_BINDING, (source, channel: string, args: unknown[]) => this.host.invoke(this, source.frame, channel, args));
      await page.addInitScript({ content: preloadInitScript(preloadPath) });
    }
    await page.route('**/*', (route, request) => this.route(route, request));
    page.on('framenavigated', (frame) => this.committed(frame));
    page.on('load', () => this.emit('did-finish-load'));
    page.on('popup', (popup) => void this.popup(popup));
    this.resolvedPage = page;
    // Not awaited: a closing page can wait on its requests, and the session's close waits on this.
    if (this.destroyed) void page.close().catch(() => undefined);
    return page;
  }

  get mainFrame(): StandInFrame | null {
    return this.resolvedPage ? this.frameFor(this.resolvedPage.mainFrame()) : null;
  }

  frameFor(frame: Frame): StandInFrame {
    let wrapped = this.frames.get(frame);
    if (!wrapped) this.frames.set(frame, (wrapped = new StandInFrame(frame)));
    return wrapped;
  }

  getURL(): string {
    return this.resolvedPage ? fromPageUrl(this.resolvedPage.url()) : '';
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  /** Runs `code` in the main frame's page world and resolves with its (serialisable) result. */
  async executeJavaScript(code: string): Promise<unknown> {
    return (await this.page).evaluate(code);
  }

  isCrashed(): boolean {
    return false;
  }

  setWindowOpenHandler(handler: WindowOpenHandler): void {
    this.windowOpenHandler = handler;
  }

  /** Resolves on did-finish-load, rejects on a failed load, as Electron's loadURL does. */
  loadURL(url: string): Promise<void> {
    const loading = (async () => {
      const page = await this.page;
      const target = toPageUrl(url, this.host.privilegedSchemes);
      this.expected.add(target.split('#')[0]!);
      try {
        await page.goto(target, { waitUntil: 'load' });
      } catch (error) {
        const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
        this.host.loadFailures.push({ url, error: message });
        this.emit('did-fail-load', preventable(), -3, message, url, true);
        throw new Error(`ERR_FAILED (-3) loading '${url}'`);
      }
    })();
    // Electron only warns about an unhandled loadURL rejection in main; callers that `void` it
    // (ours do) must not crash the test process, so the rejection counts as handled.
    loading.catch(() => undefined);
    return loading;
  }

  /** webContents.send: delivered to the preload's ipcRenderer.on listeners. */
  send(channel: string, ...args: unknown[]): void {
    const page = this.resolvedPage;
    if (!page || this.destroyed) return;
    void page.evaluate(([name, c, payload]) => (globalThis as unknown as Record<string, ((c: string, p: unknown) => void) | undefined>)[name]?.(c, payload), [EMIT_FUNCTION, channel, args[0]] as const).catch(() => undefined);
  }

  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    this.emit('destroyed');
    if (this.resolvedPage) await this.resolvedPage.close().catch(() => undefined);
  }

  private async route(route: Route, request: PageRequest): Promise<void> {
    try {
      await this.handle(route, request);
    } catch (error) {
      if (process.env['STAND_IN_DEBUG']) console.error('stand-in route failed', request.url(), error);
      await route.abort('failed').catch(() => undefined);
    }
  }

  private async handle(route: Route, request: PageRequest): Promise<void> {
    const pageUrl = request.url();
    const url = fromPageUrl(pageUrl);
    const navigation = request.isNavigationRequest();
    const isMainFrame = navigation && request.frame().parentFrame() === null;
    if (navigation) {
      const key = pageUrl.split('#')[0]!;
      const started = isMainFrame ? !this.expected.delete(key) : true;
      if (started && this.cancelled(url, isMainFrame)) return route.abort('aborted');
    }
    const served = await this.host.serveScheme(request, url);
    if (served) {
      if (isMainFrame) this.documentLoaded(served.status);
      return route.fulfill({ status: served.status, headers: Object.fromEntries(served.headers), body: Buffer.from(await served.arrayBuffer()) });
    }
    if (!isMainFrame) return route.continue();
    const response = await route.fetch({ maxRedirects: 0 });
    const location = response.headers()['location'];
    if (response.status() >= 300 && response.status() < 400 && location) {
      const target = new URL(location, pageUrl).toString();
      const event = preventable();
      this.emit('will-redirect', event, fromPageUrl(target), false, true);
      if (event.defaultPrevented) return route.abort('aborted');
      this.expected.add(target.split('#')[0]!);
    } else {
      this.documentLoaded(response.status());
    }
    return route.fulfill({ response });
  }

  /** will-navigate (main frame) and will-frame-navigate; true when a listener cancelled. */
  private cancelled(url: string, isMainFrame: boolean): boolean {
    const navigate = preventable();
    if (isMainFrame) this.emit('will-navigate', navigate, url);
    const frameNavigate = preventable({ url, isMainFrame, isSameDocument: false });
    this.emit('will-frame-navigate', frameNavigate);
    return navigate.defaultPrevented || frameNavigate.defaultPrevented;
  }

  private documentLoaded(status: number): void {
    this.documentRequested = true;
    this.lastStatus = status;
  }

  private committed(frame: Frame): void {
    if (frame.parentFrame() !== null) return;
    const url = fromPageUrl(frame.url());
    this.committedUrls.push(url);
    if (this.documentRequested) {
      this.documentRequested = false;
      this.emit('did-navigate', preventable(), url, this.lastStatus, '');
    } else {
      this.emit('did-navigate-in-page', preventable(), url, true);
    }
  }

  private async popup(popup: Page): Promise<void> {
    const url = fromPageUrl(popup.url());
    const decision = this.windowOpenHandler ? this.windowOpenHandler({ url, frameName: '', features: '', disposition: 'new-window', referrer: { url: '', policy: 'default' }, postBody: undefined as never }) : { action: 'allow' as const };
    if (decision.action === 'deny') {
      this.deniedWindowOpens.push(url);
      await popup.close().catch(() => undefined);
    }
  }
}
