/**
 * `ipcMain` (https://www.electronjs.org/docs/latest/api/ipc-main): `handle` (one handler per
 * channel; a second one throws, as in Electron), `removeHandler`, and `on` for send-style
 * channels. An invoke without a handler, or whose handler throws, rejects in the renderer with
 * "Error invoking remote method '<channel>': …".
 */
import type { Frame } from '@playwright/test';
import { EventEmitter } from 'node:events';
import type { StandInWebContents } from './web-contents.js';

type Handler = (event: unknown, ...args: unknown[]) => unknown;

export class StandInIpcMain extends EventEmitter {
  private readonly handlers = new Map<string, Handler>();

  handle(channel: string, handler: Handler): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  }

  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }

  channels(): string[] {
    return [...this.handlers.keys()];
  }

  async invoke(sender: StandInWebContents, frame: Frame, channel: string, args: unknown[]): Promise<{ value: unknown } | { error: string }> {
    const handler = this.handlers.get(channel);
    if (!handler) return { error: `Error invoking remote method '${channel}': Error: No handler registered for '${channel}'` };
    const event = { sender, senderFrame: sender.frameFor(frame), processId: 1, frameId: 1 };
    try {
      // Electron passes values by structured clone; JSON is what crosses a Playwright binding.
      return { value: JSON.parse(JSON.stringify((await handler(event, ...args)) ?? null)) as unknown };
    } catch (error) {
      return { error: `Error invoking remote method '${channel}': ${String(error)}` };
    }
  }
}
