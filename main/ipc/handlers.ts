/** Implements the contract's channels over the core's services. */
import type { AppInfo } from '../../preload/contract.js';
import type { IpcHandlers } from './dispatcher.js';

export interface HandlerDeps {
  readonly appInfo: AppInfo;
}

export function createIpcHandlers(deps: HandlerDeps): IpcHandlers {
  return {
    'app:get-info': () => deps.appInfo,
  };
}
