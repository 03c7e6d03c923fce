/**
 * Everything a person can see and do, assembled from the use cases in `use-cases/` (one file per
 * thing a person does). The windows (main/ipc/handlers.ts), the tray (main/index.ts) and the
 * command line's local API all call this one object; none of them decides anything itself.
 * `outbound.ts` wraps it so every result and event passes the secret redactor.
 */
import type { AppServiceDeps } from './use-cases/deps.js';
import { createApplicationKeyActions } from './use-cases/application-key.js';
import { createAppWindowActions } from './use-cases/app-window.js';
import { createCallbackUrlActions } from './use-cases/callback-url.js';
import { createConnectActions } from './use-cases/connect.js';
import { createDiagnosticsActions } from './use-cases/diagnostics.js';
import { createDisconnectActions } from './use-cases/disconnect.js';
import { createHandoverActions } from './use-cases/handover.js';
import { createOpenInSalesforceActions } from './use-cases/open-in-salesforce.js';
import { createOrphanActions } from './use-cases/orphans.js';
import { createPauseActions } from './use-cases/pause.js';
import { createReauthorizeActions } from './use-cases/reauthorize.js';
import { createRefreshActions } from './use-cases/refresh.js';
import { createRegisterAgainActions } from './use-cases/register-again.js';
import { createRenameActions } from './use-cases/rename.js';
import { createSettingsActions } from './use-cases/settings.js';
import { createSnoozeActions } from './use-cases/snooze.js';
import { createUserKeyActions } from './use-cases/user-key.js';
import { createViews } from './use-cases/views.js';

export type { AppServiceDeps } from './use-cases/deps.js';
export { FEED_COALESCE_MS } from './use-cases/views.js';

export function createAppService(deps: AppServiceDeps) {
  const views = createViews(deps);
  const withChanged = { ...deps, changed: views.changed };
  return {
    ...views,
    ...createSettingsActions(withChanged),
    ...createUserKeyActions(withChanged),
    ...createPauseActions(withChanged),
    ...createConnectActions(withChanged),
    ...createRenameActions(withChanged),
    ...createRefreshActions(withChanged),
    ...createReauthorizeActions(withChanged),
    ...createRegisterAgainActions(withChanged),
    ...createSnoozeActions(withChanged),
    ...createDisconnectActions(withChanged),
    ...createOrphanActions(withChanged),
    ...createApplicationKeyActions(withChanged),
    ...createCallbackUrlActions(withChanged),
    ...createOpenInSalesforceActions(withChanged),
    ...createDiagnosticsActions(withChanged, views),
    ...createAppWindowActions(withChanged),
    ...createHandoverActions(withChanged),
  };
}

export type AppService = ReturnType<typeof createAppService>;
