/**
 * One sandbox and one Chromium per test file (Vitest): registers the hooks and hands back live
 * references for the file's tests.
 */
import type { Browser } from '@playwright/test';
import { afterAll, beforeAll } from 'vitest';
import { startSandbox, type Sandbox } from '../sandbox/server.js';
import { launchChromium } from './chromium.js';

export function useSandboxAndChromium(): { readonly sandbox: Sandbox; readonly browser: Browser } {
  const world = {} as { sandbox: Sandbox; browser: Browser };
  beforeAll(async () => {
    world.sandbox = await startSandbox();
    world.browser = await launchChromium();
  });
  afterAll(async () => {
    await world.browser.close();
    await world.sandbox.close();
  });
  return world;
}
