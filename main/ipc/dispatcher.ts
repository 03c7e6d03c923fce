/**
 * The one gate every renderer call passes: known channel, trusted sender, argument plain data parsed with
 * the contract's schema (every string bounded, unknown keys refused), result parsed again on the way out (channel-gate.ts, which the command line's
 * local API shares). Electron's ipcMain and the UI tests' Playwright binding both call `dispatch`;
 * only the transport differs.
 */
import { invokeChannels, isInvokeChannel, type InvokeArgs, type InvokeChannel, type InvokeResult, type IpcEnvelope } from '../../preload/contract.js';
import type { Logger } from '../core/ports.js';
import { runThroughSchemas } from './channel-gate.js';
import type { IpcSender } from './trusted-sender.js';

export type IpcHandlers = {
  [C in InvokeChannel]: (args: InvokeArgs<C>) => Promise<InvokeResult<C>> | InvokeResult<C>;
};

export interface IpcDispatcher {
  dispatch(channel: unknown, sender: IpcSender, rawArgs: unknown): Promise<IpcEnvelope<unknown>>;
}

export function createIpcDispatcher(options: {
  /** Partial only for tests that exercise the gate with one channel; the app passes them all. */
  handlers: Partial<IpcHandlers>;
  isTrustedSender: (sender: IpcSender) => boolean;
  logger: Logger;
}): IpcDispatcher {
  const { handlers, isTrustedSender, logger } = options;

  async function dispatch(channel: unknown, sender: IpcSender, rawArgs: unknown): Promise<IpcEnvelope<unknown>> {
    if (!isInvokeChannel(channel)) {
      logger.warn('ipc: unknown channel refused', { channel: String(channel).slice(0, 60) });
      return { ok: false, error: { code: 'unknown-channel', message: 'Unknown IPC channel.' } };
    }
    if (!isTrustedSender(sender)) {
      logger.warn('ipc: call from untrusted sender refused', { channel, sender: sender.url.slice(0, 120) });
      return { ok: false, error: { code: 'forbidden-sender', message: 'This window may not call the app.' } };
    }
    return runThroughSchemas(invokeChannels[channel], handlers[channel] as ((args: unknown) => unknown) | undefined, rawArgs, { logger, where: 'ipc', channel });
  }

  return { dispatch };
}
