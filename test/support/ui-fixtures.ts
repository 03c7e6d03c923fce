/**
 * Playwright fixtures for UI tests: the Vite-built renderer served on loopback, and the WHOLE
 * core composed as in the app (composeCore) over real parts: the sandbox over HTTP, keytar in
 * the private keychain, conf settings in a temp folder, the loopback listener, and Chromium acting
 * as the user on sign-in pages. window.api is bridged to the real IPC dispatcher; only the
 * transport differs from Electron. Each test gets its own and tears it down.
 */
import { test as base, type Page } from '@playwright/test';
import Conf from 'conf';
import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createKeytarSecretStore } from '../../main/adapters/keytar-secret-store.js';
import { createLoopbackListener } from '../../main/adapters/loopback-listener.js';
import { createSqliteStateStore } from '../../main/adapters/sqlite-state-store.js';
import { createStoreSettingsFile } from '../../main/adapters/store-settings-file.js';
import { systemClock } from '../../main/adapters/system-clock.js';
import { composeCore, type Core } from '../../main/core/compose.js';
import type { Notice } from '../../main/core/keepalive/notification-policy.js';
import type { EndpointChange } from '../../main/core/ports.js';
import { createEventPublisher, createIpcDispatcher, createIpcHandlers, createSenderCheck } from '../../main/ipc/index.js';
import { SAMPLE_CLIENT, SAMPLE_USER_KEY, startSandbox, type Sandbox } from '../sandbox/server.js';
import { createMemoryLogger } from './memory-logger.js';
import { createPlaywrightAuthBrowser, type PlaywrightAuthBrowser } from './playwright-auth-browser.js';
import { bridgePage, type BridgedPage } from './renderer-bridge.js';
import { makeNewerDatabase, STATE_DB_0_1_0, stateDbText } from './state-db.js';
import { serveFolder, type StaticServer } from './static-server.js';

const RENDERER_DIR = resolve('out/renderer');
export const TEST_APP_INFO = { name: 'Data2CRM Tray', version: '0.1.0' };

export interface UiApp extends BridgedPage {
  core: Core;
  sandbox: Sandbox;
  authBrowser: PlaywrightAuthBrowser;
  logger: ReturnType<typeof createMemoryLogger>;
  notices: Notice[];
  clipboard: string[];
  closed: number;
  /** How often the app was asked to quit, and every URL it handed to the user's browser. */
  quits: number;
  opened: string[];
  diagnosticsFiles: string[];
  /** Every sealed hand-over file the window saved (its save dialog, stubbed at its port: always a new file here). */
  handoverFiles: string[];
  /** Every payload main pushed to the page. */
  events: unknown[];
  keychainService: string;
  settingsPath: string;
  /** The state database (connection rows, activity). */
  statePath: string;
  /** The state database's file and log as raw text, after committing what waits in the commit window. */
  stateText(): string;
  /** Every question the confirmation dialog (stubbed at its port) was asked, and the answer it gives. */
  confirmations: Array<readonly EndpointChange[]>;
  confirmAnswer: boolean;
  /** Opens another page of the renderer (e.g. the dialog) bridged to the same core. */
  openPage(hash: string): Promise<Page>;
}

interface UiFixtures {
  /** Start as a fresh install does (default settings, no user key) instead of pointed at the sandbox. */
  startFromDefaults: boolean;
  /** Start on a state database that cannot be read (the app moves it aside and says so). */
  damagedStateDb: boolean;
  /** Start on 0.1.0's state database as a newer version left it (opened read-only, nothing runs). */
  newerStateDb: boolean;
  renderer: StaticServer;
  app: UiApp;
}

export const test = base.extend<UiFixtures>({
  startFromDefaults: [false, { option: true }],
  damagedStateDb: [false, { option: true }],
  newerStateDb: [false, { option: true }],
  // eslint-disable-next-line no-empty-pattern
  renderer: async ({}, use) => {
    if (!existsSync(`${RENDERER_DIR}/index.html`)) throw new Error('out/renderer is missing: run `npm run build` first (npm test does).');
    const server = await serveFolder(RENDERER_DIR);
    await use(server);
    await server.close();
  },
  app: async ({ page, renderer, browser, context, startFromDefaults, damagedStateDb, newerStateDb }, use) => {
    const sandbox = await startSandbox();
    const dir = mkdtempSync(join(tmpdir(), 'd2c-ui-'));
    const logger = createMemoryLogger();
    const keychainService = `data2crm-tray-ui-${randomUUID()}`;
    const keychain = createKeytarSecretStore(keychainService);
    const authBrowser = createPlaywrightAuthBrowser(browser);
    const notices: Notice[] = [];
    const clipboard: string[] = [];
    const diagnosticsFiles: string[] = [];
    const handoverFiles: string[] = [];
    const state = { closed: 0, quits: 0, confirmAnswer: false };
    const opened: string[] = [];
    const confirmations: Array<readonly EndpointChange[]> = [];
    const settingsFile = createStoreSettingsFile(join(dir, 'settings.json'), () => new Conf<Record<string, unknown>>({ cwd: dir, configName: 'settings' }));
    // The app pointed at the sandbox, as a user would through Account → Advanced.
    if (!startFromDefaults) settingsFile.write({ version: 1, endpoints: { data2crmApiBase: sandbox.urls.data2crmApi, data2crmAuthBase: sandbox.urls.data2crmAuth, salesforceLoginHost: sandbox.urls.salesforceLogin }, extraInstanceHosts: [new URL(sandbox.urls.origin).host], signIn: { with: 'app-window', timeoutMs: 60_000, callbackPort: 1717 }, connections: [] });
    if (damagedStateDb) writeFileSync(join(dir, 'state.db'), 'not a database '.repeat(300));
    if (newerStateDb) {
      copyFileSync(STATE_DB_0_1_0, join(dir, 'state.db'));
      makeNewerDatabase(join(dir, 'state.db'));
    }
    const stateStore = createSqliteStateStore(join(dir, 'state.db'));
    const core = await composeCore({
      appInfo: TEST_APP_INFO,
      platform: 'test',
      settingsFile,
      stateStore,
      secretStores: [{ name: 'keychain', create: () => keychain }],
      listener: createLoopbackListener(),
      appWindow: authBrowser,
      systemBrowser: authBrowser,
      clock: systemClock,
      logger,
      notify: (n) => notices.push(n),
      clipboard: { writeText: (t) => clipboard.push(t) },
      saveDiagnostics: async (json) => {
        const file = join(dir, 'diagnostics.json');
        writeFileSync(file, json);
        diagnosticsFiles.push(file);
        return file;
      },
      saveHandoverFile: async (sealed, suggestedName) => {
        const file = join(dir, `${handoverFiles.length}-${suggestedName}`);
        writeFileSync(file, sealed, { mode: 0o600 });
        handoverFiles.push(file);
        return file;
      },
      loginItem: (() => {
        let enabled = false;
        return { get: () => enabled, set: (v: boolean) => void (enabled = v) };
      })(),
      closeWindow: () => void state.closed++,
      quit: () => void state.quits++,
      openInBrowser: (url) => void opened.push(url),
      silentSignInTimeoutMs: 3_000,
      // The native dialog, stubbed at its port: records the question, answers as the test says (no by default).
      confirmEndpoints: async (changes) => {
        confirmations.push(changes);
        return state.confirmAnswer;
      },
    });
    await core.secretsLoaded;
    if (!startFromDefaults) await core.vault.setUserKey(SAMPLE_USER_KEY);
    sandbox.control.addCallbackUrl(SAMPLE_CLIENT.clientId, 'http://127.0.0.1:1717/callback');
    const dispatcher = createIpcDispatcher({ handlers: createIpcHandlers({ appInfo: TEST_APP_INFO, app: core.app }), isTrustedSender: createSenderCheck([renderer.origin]), logger });
    const events: unknown[] = [];
    const pages = [page];
    const bridged = await bridgePage(page, dispatcher);
    const publisher = createEventPublisher((channel, payload) => {
      events.push(payload);
      for (const p of pages) if (!p.isClosed()) void p.evaluate(([c, d]) => (window as unknown as { __d2cEmit?(c: string, p: unknown): void }).__d2cEmit?.(c, d), [channel, payload] as const).catch(() => undefined);
    });
    const unsubscribe = core.app.subscribe((delta) => {
      publisher.publish('state:changed', delta);
      if (delta.header) publisher.publish('app:status', { status: delta.header.status, summary: delta.header.summary });
    });
    const unsubscribeActivity = core.activity.subscribe((entry) => publisher.publish('activity:appended', entry));
    const app: UiApp = {
      ...bridged,
      core,
      sandbox,
      authBrowser,
      logger,
      notices,
      clipboard,
      diagnosticsFiles,
      handoverFiles,
      events,
      keychainService,
      settingsPath: join(dir, 'settings.json'),
      statePath: join(dir, 'state.db'),
      stateText: () => (stateStore.commit(), stateDbText(join(dir, 'state.db'))),
      get closed() {
        return state.closed;
      },
      get quits() {
        return state.quits;
      },
      opened,
      confirmations,
      get confirmAnswer() {
        return state.confirmAnswer;
      },
      set confirmAnswer(answer: boolean) {
        state.confirmAnswer = answer;
      },
      async openPage(hash) {
        const extra = await context.newPage();
        await bridgePage(extra, dispatcher, bridged.responses);
        pages.push(extra);
        await extra.goto(`${renderer.origin}/index.html${hash}`);
        return extra;
      },
    };
    await use(app);
    unsubscribe();
    unsubscribeActivity();
    core.keepAlive.stop();
    await authBrowser.closeAll();
    for (const { account } of await keychain.findAll()) await keychain.delete(account);
    await sandbox.close();
    await stateStore.close();
    rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
  },
});

export { expect } from '@playwright/test';
