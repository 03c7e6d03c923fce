/**
 * `session` (https://www.electronjs.org/docs/latest/api/session): one Session per partition, each
 * a Playwright BrowserContext (own cookies and storage). `persist:` partitions live as long as the
 * stand-in (the app's lifetime here); others are fresh for each window, as Electron's in-memory
 * partitions. Permission handlers are recorded; `checkPermission` asks them the way Chromium would,
 * and with no handler set answers true, as Electron does ("approve all permission requests").
 */
import type { Browser, BrowserContext } from '@playwright/test';
import type { Session as ElectronSession } from 'electron';

type RequestHandler = Parameters<ElectronSession['setPermissionRequestHandler']>[0];
type CheckHandler = Parameters<ElectronSession['setPermissionCheckHandler']>[0];

export class StandInSession implements Pick<ElectronSession, 'clearCache' | 'getPreloads' | 'setPreloads'> {
  private context: Promise<BrowserContext> | undefined;
  private requestHandler: RequestHandler = null;
  private checkHandler: CheckHandler = null;
  private preloads: string[] = [];
  readonly preloadScripts: Electron.PreloadScriptRegistration[] = [];
  /** How many times clearStorageData ran: a forgotten session must have been cleared. */
  cleared = 0;
  /** Pages still being set up: the context closes after them (a page that vanishes while its
   * addInitScript is answered fails the Playwright client with "Cannot find parent object"). */
  private readonly opening = new Set<Promise<void>>();

  constructor(
    private readonly browser: Browser,
    readonly partition: string,
  ) {}

  browserContext(): Promise<BrowserContext> {
    return (this.context ??= this.browser.newContext());
  }

  setPermissionRequestHandler(handler: RequestHandler): void {
    this.requestHandler = handler;
  }

  setPermissionCheckHandler(handler: CheckHandler): void {
    this.checkHandler = handler;
  }

  /** What Chromium would be told when a page of this session checks or requests `permission`. */
  async checkPermission(permission: string, origin: string): Promise<{ check: boolean; request: boolean }> {
    const check = this.checkHandler ? this.checkHandler(null, permission as never, origin, {} as never) : true;
    const request = await new Promise<boolean>((resolve) => {
      if (!this.requestHandler) return resolve(true);
      this.requestHandler({} as never, permission as never, resolve, {} as never);
    });
    return { check, request };
  }

  async clearStorageData(): Promise<void> {
    this.cleared++;
    if (this.context) await (await this.context).clearCookies();
  }

  async clearCache(): Promise<void> {
    // Playwright contexts share no HTTP cache worth clearing between tests.
  }

  getPreloads(): string[] {
    return [...this.preloads];
  }

  setPreloads(preloads: string[]): void {
    this.preloads = [...preloads];
  }

  registerPreloadScript(script: Electron.PreloadScriptRegistration): string {
    // electron-log registers its renderer preload here; our windows don't run it (see test/README).
    this.preloadScripts.push(script);
    return script.id ?? String(this.preloadScripts.length);
  }

  /** A page of this session being set up, which closing the context must wait for. */
  trackOpening(page: Promise<unknown>): void {
    const settled = page.then(
      () => undefined,
      () => undefined,
    );
    this.opening.add(settled);
    void settled.then(() => this.opening.delete(settled));
  }

  async close(): Promise<void> {
    await Promise.all([...this.opening]);
    if (this.context) await (await this.context).close().catch(() => undefined);
    this.context = undefined;
  }
}

export function createSessionModule(browser: Browser) {
  const partitions = new Map<string, StandInSession>();
  const fromPartition = (partition: string): StandInSession => {
    // Only persist: partitions are shared by name; an in-memory partition is still one per name.
    const existing = partitions.get(partition);
    if (existing) return existing;
    const created = new StandInSession(browser, partition);
    partitions.set(partition, created);
    return created;
  };
  return {
    module: { fromPartition, defaultSession: fromPartition('') },
    all: () => [...partitions.values()],
  };
}
