/**
 * The lifecycle the core-over-harness integration tests share: one Chromium for the file, a fresh
 * sandbox and connect harness (settings, state database, keychain) for each test, torn down after
 * it. `onEach` hands the test file its parts (its own variables keep their names); `beforeCleanup`
 * stops what the test started on them (a composed core's keep-alive).
 */
import type { Browser } from '@playwright/test';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { SecretStore } from '../../main/core/ports.js';
import { startSandbox, type Sandbox } from '../sandbox/server.js';
import { launchChromium } from './chromium.js';
import { createConnectHarness, type ConnectHarness } from './connect-harness.js';
import { faultySecretStore, type FaultySecretStore } from './faulty-secret-store.js';

export interface HarnessParts {
  readonly sandbox: Sandbox;
  readonly h: ConnectHarness;
  /** The fault switchboard in front of the keychain, and the keychain behind it (with `faults` set). */
  readonly faults: FaultySecretStore | undefined;
  readonly raw: SecretStore | undefined;
}

export interface HarnessPerTestOptions {
  /**
   * Put the fault switchboard in front of the keychain. 'release' lets hung calls finish before
   * cleaning up; 'keep-hung' leaves them hanging (a "crashed" process never resumes).
   */
  readonly faults?: 'release' | 'keep-hung';
  readonly beforeCleanup?: () => void | Promise<void>;
  /** The folder for each test's settings file and state database (e.g. on a small disk); removed by whoever made it. */
  readonly dir?: () => string;
  /** After the harness is cleaned up (its stores closed): e.g. unmount that folder's disk. */
  readonly afterCleanup?: () => void;
}

export function harnessPerTest(onEach: (parts: HarnessParts) => void, options: HarnessPerTestOptions = {}): void {
  let browser: Browser;
  let parts: HarnessParts;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(() => browser.close());
  beforeEach(async () => {
    const sandbox = await startSandbox();
    let faults: FaultySecretStore | undefined;
    let raw: SecretStore | undefined;
    const h = await createConnectHarness(sandbox, browser, {
      ...(options.faults ? { wrapStore: (store: SecretStore) => ((raw = store), (faults = faultySecretStore(store)).store) } : {}),
      ...(options.dir ? { dir: options.dir() } : {}),
    });
    parts = { sandbox, h, faults, raw };
    onEach(parts);
  });
  afterEach(async () => {
    await options.beforeCleanup?.();
    if (parts.faults) {
      parts.faults.clear();
      if (options.faults === 'release') {
        parts.faults.release();
        await parts.faults.settled();
      }
    }
    await parts.h.cleanup();
    await parts.sandbox.close();
    options.afterCleanup?.();
  });
}
