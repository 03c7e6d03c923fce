/**
 * The renderer's API, built from a transport so that the same code runs in the Electron preload
 * (over ipcRenderer) and in the UI tests (over a Playwright binding to the real handlers).
 * Imports no Electron: preload/index.ts supplies the transport.
 */
import type { EventChannel, EventPayload, InvokeChannel, InvokeResult, IpcEnvelope } from './contract.js';

export interface IpcTransport {
  invoke(channel: InvokeChannel, args: unknown): Promise<IpcEnvelope<unknown>>;
  /** Subscribe to an event channel; returns the unsubscribe function. */
  on(channel: EventChannel, listener: (payload: unknown) => void): () => void;
}

/** Thrown in the renderer when main refuses or fails a call; carries no secret by construction. */
export class IpcCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'IpcCallError';
  }
}

export function createApi(transport: IpcTransport) {
  async function call<C extends InvokeChannel>(channel: C, args: unknown): Promise<InvokeResult<C>> {
    const envelope = await transport.invoke(channel, args);
    if (!envelope.ok) throw new IpcCallError(envelope.error.code, envelope.error.message);
    return envelope.value as InvokeResult<C>;
  }
  function listen<C extends EventChannel>(channel: C, listener: (payload: EventPayload<C>) => void): () => void {
    return transport.on(channel, (payload) => listener(payload as EventPayload<C>));
  }

  return {
    getAppInfo: () => call('app:get-info', undefined),
    onStatus: (listener: (event: EventPayload<'app:status'>) => void) => listen('app:status', listener),
  };
}

export type Api = ReturnType<typeof createApi>;
