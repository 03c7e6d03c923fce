/**
 * The local API's operations over the app service: the windows' own handlers for the channels the
 * command line may use (main/ipc/handlers.ts, so each channel does one thing whoever calls it),
 * and the command line's few own operations. A thin map, no decisions.
 */
import type { AppInfo } from '../../preload/contract.js';
import type { AppService } from '../core/app-service.js';
import type { IpcHandlers } from '../ipc/dispatcher.js';
import { createEventPublisher } from '../ipc/events.js';
import { createIpcHandlers } from '../ipc/handlers.js';
import type { CommandLineOperation, OperationArgs, OperationResult } from '../../shared/local-api.js';
import { COMMAND_LINE_ACCESS, type Face } from './access.js';

type CommandLineHandlers = { [O in CommandLineOperation]: (args: OperationArgs<O>) => Promise<OperationResult<O>> | OperationResult<O> };
export type LocalApiHandlers = Partial<IpcHandlers> & CommandLineHandlers;

export interface LocalApiDeps {
  readonly appInfo: AppInfo;
  /** The redacting app service (core.app): every result passes the secret redactor. */
  readonly app: AppService;
  /** Shows the connect wizard; absent where there are no windows (the keeper). */
  readonly showConnect?: () => void;
  /** Who serves the socket: some operations are one face's only (access.ts). */
  readonly face: Face;
}

export function createLocalApiHandlers(deps: LocalApiDeps): LocalApiHandlers {
  const windowsHandlers = createIpcHandlers({ appInfo: deps.appInfo, app: deps.app });
  // Only the allowed channels are here at all; the dispatcher refuses the others before this.
  const allowed = Object.fromEntries(Object.entries(windowsHandlers).filter(([channel]) => COMMAND_LINE_ACCESS[channel as keyof IpcHandlers].allowed)) as Partial<IpcHandlers>;
  return {
    ...allowed,
    'connections:application-key': ({ id }) => deps.app.applicationKey(id),
    'app:show-connect': () => {
      if (!deps.showConnect) return { ok: false, message: 'This app has no windows to connect from.' };
      deps.showConnect();
      return { ok: true, message: 'The connect wizard is open in Data2CRM Tray.' };
    },
    'handover:begin': ({ id, to }) => deps.app.beginHandover(id, to),
    'handover:receipt': ({ handoverId }) => deps.app.handoverReceipt(handoverId),
  };
}

/**
 * `watch`: the whole state first, then every delta, each redacted and parsed with the contract's
 * `state:changed` schema before it leaves main, exactly as the windows get them (main/ipc/events.ts).
 */
export function watchState(app: AppService, send: (delta: unknown) => void): () => void {
  const publisher = createEventPublisher((_channel, payload) => send(payload));
  const unsubscribe = app.subscribe((delta) => publisher.publish('state:changed', delta));
  publisher.publish('state:changed', app.fullState());
  return unsubscribe;
}
