/** Implements the contract's channels over the app service: a thin map, no decisions. */
import type { AppInfo } from '../../preload/contract.js';
import type { AppService } from '../core/app-service.js';
import type { IpcHandlers } from './dispatcher.js';

export interface HandlerDeps {
  readonly appInfo: AppInfo;
  readonly app: AppService;
}

export function createIpcHandlers({ appInfo, app }: HandlerDeps): IpcHandlers {
  return {
    'app:get-info': () => appInfo,
    'state:get': () => app.snapshot(),
    'settings:get': () => app.settingsView(),
    'settings:update': (patch) => app.updateSettings(patch),
    'settings:use-local-sandbox': ({ address }) => app.useLocalSandbox(address),
    'account:set-user-key': ({ userKey }) => app.setUserKey(userKey),
    'account:test-user-key': () => app.testUserKey(),
    'automation:set-paused': ({ paused, forMinutes }) => app.setPaused(paused, forMinutes === undefined ? undefined : forMinutes * 60_000),
    'connections:connect': (request) => app.connect(request),
    'connections:cancel-sign-in': () => app.cancelSignIn(),
    'connections:rename': ({ id, label }) => app.rename(id, label),
    'connections:refresh-now': ({ id }) => app.refreshNow(id),
    'connections:reauthorize': ({ id }) => app.reauthorize(id),
    'connections:update-tokens': ({ id, accessToken, refreshToken }) => app.updateTokens(id, accessToken, refreshToken),
    'connections:register-again': ({ id }) => app.registerAgain(id),
    'connections:snooze': ({ id }) => app.snooze(id),
    'connections:disconnect': ({ id }) => app.disconnect(id),
    'connections:copy-application-key': ({ id }) => app.copyApplicationKey(id),
    'connections:copy-callback-url': ({ callback, callbackPort }) => app.copyCallbackUrl(callback, callbackPort),
    'connections:open-in-salesforce': ({ id }) => app.openInSalesforce(id),
    'orphans:recover': ({ id }) => app.recoverOrphan(id),
    'orphans:delete': ({ id }) => app.deleteOrphan(id),
    'activity:list': () => app.activity(),
    'diagnostics:preview': () => ({ json: app.diagnostics() }),
    'diagnostics:export': () => app.exportDiagnostics(),
    'window:close': () => app.closeWindow(),
    'handover:to-file': ({ id, to }) => app.handOverToFile(id, to),
    'handover:complete': ({ id, receipt }) => app.completeHandover(id, receipt),
    'handover:cancel': ({ id }) => app.cancelHandover(id),
    'handover:receive': ({ sealed, passphrase }) => app.receiveHandover(sealed, passphrase),
    'app:quit': () => app.quit(),
  };
}
