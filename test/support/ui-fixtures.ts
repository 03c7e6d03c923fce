/**
 * Playwright fixtures for UI tests: the built renderer served on loopback, the real IPC handlers
 * and dispatcher, and a page bridged to them. Each test gets its own and tears it down.
 */
import { test as base } from '@playwright/test';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createEventPublisher, createIpcDispatcher, createIpcHandlers, createSenderCheck, type EventPublisher } from '../../main/ipc/index.js';
import { createMemoryLogger } from './memory-logger.js';
import { bridgePage, type BridgedPage } from './renderer-bridge.js';
import { serveFolder, type StaticServer } from './static-server.js';

const RENDERER_DIR = resolve('out/renderer');
export const TEST_APP_INFO = { name: 'Data2CRM Tray', version: '0.1.0' };

interface UiFixtures {
  renderer: StaticServer;
  app: BridgedPage & { events: EventPublisher; logger: ReturnType<typeof createMemoryLogger> };
}

export const test = base.extend<UiFixtures>({
  // eslint-disable-next-line no-empty-pattern
  renderer: async ({}, use) => {
    if (!existsSync(`${RENDERER_DIR}/index.html`)) throw new Error('out/renderer is missing: run `npm run build` first (npm test does).');
    const server = await serveFolder(RENDERER_DIR);
    await use(server);
    await server.close();
  },
  app: async ({ page, renderer }, use) => {
    const logger = createMemoryLogger();
    const dispatcher = createIpcDispatcher({
      handlers: createIpcHandlers({ appInfo: TEST_APP_INFO }),
      isTrustedSender: createSenderCheck([renderer.origin]),
      logger,
    });
    const bridged = await bridgePage(page, dispatcher);
    const events = createEventPublisher((channel, payload) => void bridged.emit(channel, payload));
    await use({ ...bridged, events, logger });
  },
});

export { expect } from '@playwright/test';
