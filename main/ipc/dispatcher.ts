/**
 * The one gate every renderer call passes: known channel, trusted sender, argument plain data
 * parsed with the contract's schema (every string bounded, unknown keys refused), result parsed again on the way out (so a handler bug cannot leak a field the
 * contract does not name). Electron's ipcMain and the UI tests' Playwright binding both call
 * `dispatch`; only the transport differs.
 */
import {
  invokeChannels,
  isInvokeChannel,
  type InvokeArgs,
  type InvokeChannel,
  type InvokeResult,
  type IpcEnvelope,
} from '../../preload/contract.js';
import type { Logger } from '../core/ports.js';
import type { IpcSender } from './trusted-sender.js';

export type IpcHandlers = {
  [C in InvokeChannel]: (args: InvokeArgs<C>) => Promise<InvokeResult<C>> | InvokeResult<C>;
};

export interface IpcDispatcher {
  dispatch(channel: unknown, sender: IpcSender, rawArgs: unknown): Promise<IpcEnvelope<unknown>>;
}

/**
 * JSON-like data only: a Date, Map, Set, typed array or class instance (which structured clone
 * carries over IPC) is refused, not read as an empty object. Nesting is bounded: no argument of
 * the contract goes deeper than a few levels.
 */
function isPlainValue(value: unknown, depth = 0): boolean {
  if (value === null || typeof value !== 'object') return typeof value !== 'function' && typeof value !== 'symbol' && typeof value !== 'bigint';
  if (depth > 4) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  if (Array.isArray(value)) return proto === Array.prototype && value.every((item) => isPlainValue(item, depth + 1));
  if (proto !== Object.prototype && proto !== null) return false;
  return Object.values(value).every((item) => isPlainValue(item, depth + 1));
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
    const spec = invokeChannels[channel];
    if (!isPlainValue(rawArgs)) {
      logger.warn('ipc: argument that is not plain data refused', { channel });
      return { ok: false, error: { code: 'invalid-argument', message: 'The app accepts only plain values here.' } };
    }
    const parsed = spec.args.safeParse(rawArgs);
    if (!parsed.success) {
      // The issue paths only: values may be secrets pasted in the wrong field.
      const where = parsed.error.issues.map((i) => i.path.join('.') || '(argument)').join(', ');
      logger.warn('ipc: invalid argument refused', { channel, where });
      // The contract's own messages are written for people ("The user key looks too short."); they never quote the value.
      const firstPerField = new Map<string, string>();
      for (const issue of parsed.error.issues) if (!firstPerField.has(issue.path.join('.'))) firstPerField.set(issue.path.join('.'), issue.message);
      const message = [...new Set(firstPerField.values())].join(' ');
      return { ok: false, error: { code: 'invalid-argument', message } };
    }
    try {
      const handler = handlers[channel] as ((args: unknown) => unknown) | undefined;
      if (!handler) throw new Error(`no handler for ${channel}`);
      const value = spec.result.parse(await handler(parsed.data));
      return { ok: true, value };
    } catch (error) {
      logger.error('ipc: handler failed', { channel, error: error instanceof Error ? error.name : 'unknown' });
      return { ok: false, error: { code: 'failed', message: 'The app could not complete this request.' } };
    }
  }

  return { dispatch };
}
