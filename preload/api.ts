/**
 * The renderer's API, built from a transport so that the same code runs in the Electron preload
 * (over ipcRenderer) and in the UI tests (over a Playwright binding to the real handlers).
 * Imports no Electron: preload/index.ts supplies the transport.
 */
import type { CallbackKind } from '../shared/callback-urls.js';
import type { EventChannel, EventPayload, InvokeArgs, InvokeChannel, InvokeResult, IpcEnvelope } from './contract.js';

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
  async function call<C extends InvokeChannel>(channel: C, args: InvokeArgs<C>): Promise<InvokeResult<C>> {
    const envelope = await transport.invoke(channel, args);
    if (!envelope.ok) throw new IpcCallError(envelope.error.code, envelope.error.message);
    return envelope.value as InvokeResult<C>;
  }
  function listen<C extends EventChannel>(channel: C, listener: (payload: EventPayload<C>) => void): () => void {
    return transport.on(channel, (payload) => listener(payload as EventPayload<C>));
  }

  return {
    getAppInfo: () => call('app:get-info', undefined),
    getState: () => call('state:get', undefined),
    getSettings: () => call('settings:get', undefined),
    updateSettings: (patch: InvokeArgs<'settings:update'>) => call('settings:update', patch),
    useLocalSandbox: (address: string) => call('settings:use-local-sandbox', { address }),
    setUserKey: (userKey: string) => call('account:set-user-key', { userKey }),
    testUserKey: () => call('account:test-user-key', undefined),
    setPaused: (paused: boolean) => call('automation:set-paused', { paused }),
    connect: (request: InvokeArgs<'connections:connect'>) => call('connections:connect', request),
    cancelSignIn: () => call('connections:cancel-sign-in', undefined),
    rename: (id: string, label: string) => call('connections:rename', { id, label }),
    refreshNow: (id: string) => call('connections:refresh-now', { id }),
    reauthorize: (id: string) => call('connections:reauthorize', { id }),
    updateTokens: (id: string, accessToken: string, refreshToken?: string) => call('connections:update-tokens', { id, accessToken, ...(refreshToken ? { refreshToken } : {}) }),
    registerAgain: (id: string) => call('connections:register-again', { id }),
    snooze: (id: string) => call('connections:snooze', { id }),
    disconnect: (id: string) => call('connections:disconnect', { id }),
    copyApplicationKey: (id: string) => call('connections:copy-application-key', { id }),
    copyCallbackUrl: (callback: CallbackKind, callbackPort?: number) => call('connections:copy-callback-url', { callback, ...(callbackPort !== undefined ? { callbackPort } : {}) }),
    openInSalesforce: (id: string) => call('connections:open-in-salesforce', { id }),
    recoverOrphan: (id: string) => call('orphans:recover', { id }),
    deleteOrphan: (id: string) => call('orphans:delete', { id }),
    listActivity: () => call('activity:list', undefined),
    previewDiagnostics: () => call('diagnostics:preview', undefined),
    exportDiagnostics: () => call('diagnostics:export', undefined),
    closeWindow: () => call('window:close', undefined),
    handOverToFile: (id: string, to: string) => call('handover:to-file', { id, to }),
    completeHandover: (id: string, receipt: string) => call('handover:complete', { id, receipt }),
    cancelHandover: (id: string) => call('handover:cancel', { id }),
    receiveHandover: (sealed: string, passphrase: string) => call('handover:receive', { sealed, passphrase }),
    quit: () => call('app:quit', undefined),
    onStatus: (listener: (event: EventPayload<'app:status'>) => void) => listen('app:status', listener),
    onState: (listener: (snapshot: EventPayload<'state:changed'>) => void) => listen('state:changed', listener),
    onActivity: (listener: (entry: EventPayload<'activity:appended'>) => void) => listen('activity:appended', listener),
  };
}

export type Api = ReturnType<typeof createApi>;
