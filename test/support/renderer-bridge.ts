/**
 * Gives a Chromium page the same `window.api` the Electron preload gives the settings window:
 * preload/api.ts's createApi, bundled for the browser, over a Playwright binding that calls the
 * real IPC dispatcher in the test process. Only the transport differs from Electron.
 */
import type { Page } from '@playwright/test';
import { build } from 'esbuild';
import type { EventChannel } from '../../preload/contract.js';
import type { IpcDispatcher } from '../../main/ipc/dispatcher.js';

const BRIDGE_ENTRY = `
import { createApi } from './preload/api.ts';
const listeners = new Map();
window.api = createApi({
  invoke: (channel, args) => window.__d2cInvoke(channel, args),
  on: (channel, listener) => {
    const set = listeners.get(channel) ?? new Set();
    listeners.set(channel, set);
    set.add(listener);
    return () => set.delete(listener);
  },
});
window.__d2cEmit = (channel, payload) => listeners.get(channel)?.forEach((listener) => listener(payload));
`;

let bundled: Promise<string> | undefined;
function bridgeScript(): Promise<string> {
  bundled ??= build({
    stdin: { contents: BRIDGE_ENTRY, resolveDir: process.cwd(), loader: 'ts', sourcefile: 'bridge.ts' },
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
  }).then((result) => result.outputFiles[0]!.text);
  return bundled;
}

export interface BridgedPage {
  /** Pushes an event exactly as main's publisher would (the payload was parsed by the caller). */
  emit(channel: EventChannel, payload: unknown): Promise<void>;
  /** Every envelope main returned to the page, for asserting what crossed the boundary. */
  readonly responses: unknown[];
}

export async function bridgePage(page: Page, dispatcher: IpcDispatcher, responses: unknown[] = []): Promise<BridgedPage> {
  await page.exposeBinding('__d2cInvoke', async (source, channel: unknown, args: unknown) => {
    const envelope = await dispatcher.dispatch(channel, { url: source.frame.url(), isMainFrame: source.frame === source.page.mainFrame() }, args);
    responses.push(envelope);
    return envelope;
  });
  await page.addInitScript({ content: await bridgeScript() });
  return {
    responses,
    emit: async (channel, payload) => {
      await page.evaluate(([c, p]) => (window as unknown as { __d2cEmit(c: string, p: unknown): void }).__d2cEmit(c, p), [channel, payload] as const);
    },
  };
}
