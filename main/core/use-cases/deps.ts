/**
 * What the use cases run over: the core's services and the few ports a person's action reaches
 * (clipboard, browser, the diagnostics file, the login item, the endpoint confirmation). Each use
 * case takes only the part it needs (`Pick<UseCaseDeps, …>`), so a composition root without a
 * window (the keeper) can see from the types which of them it must provide.
 */
import type { ConnectionService } from '../connections/connection-service.js';
import type { Orphans } from '../connections/orphans.js';
import type { SecretVault } from '../connections/secret-vault.js';
import type { Data2CrmClient } from '../data2crm/client.js';
import type { ActivityLog } from '../keepalive/activity-log.js';
import type { KeepAlive } from '../keepalive/keep-alive.js';
import type { Notice, NotificationPolicy } from '../keepalive/notification-policy.js';
import type { Handover } from '../handover/handover.js';
import type { Clipboard, Clock, LoginItem, Logger, SaveDiagnostics, SaveHandoverFile } from '../ports.js';
import type { HandoverFace } from './handover.js';
import type { StorageStatus } from '../secrets/choose-secret-store.js';
import type { EndpointConfirmation } from '../settings/endpoint-confirmation.js';
import type { SettingsRepository } from '../settings/settings-repository.js';
import type { StateDatabaseHealth } from '../state-database/health.js';

export interface AppServiceDeps {
  readonly appInfo: { name: string; version: string };
  readonly settings: SettingsRepository;
  readonly vault: SecretVault;
  readonly connections: ConnectionService;
  /** Keychain entries without a record, listed for Recover / Delete. */
  readonly orphans: Orphans;
  readonly keepAlive: KeepAlive;
  readonly policy: NotificationPolicy;
  readonly activity: ActivityLog;
  readonly storage: StorageStatus;
  /** The state database could not be read at start and was moved aside (when). */
  readonly damagedDatabase?: { readonly at: number } | null;
  /** Whether the state database takes writes now (the header says why not). */
  readonly stateDatabase?: Pick<StateDatabaseHealth, 'current'>;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly data2crm: () => Data2CrmClient;
  readonly clipboard: Clipboard;
  readonly saveDiagnostics: SaveDiagnostics;
  readonly loginItem: LoginItem;
  readonly platform: string;
  /** Asks the user before any new address is used (main's dialog). */
  readonly endpoints: EndpointConfirmation;
  /** Closes the window that asked (the dialog closes itself on success). */
  readonly closeWindow: () => void;
  readonly quit: () => void;
  readonly openInBrowser: (url: string) => void;
  /** Moving a connection to a keeper and back (handover/handover.ts decides). */
  readonly handover: Handover;
  readonly handoverFace: HandoverFace;
  /** Where the window's hand-over saves the sealed file (a save dialog; null: cancelled or no window). */
  readonly saveHandoverFile: SaveHandoverFile;
  /** A desktop notification (a disconnect whose revocation Salesforce refused: its row is gone, so the window cannot say it). */
  readonly notify?: (notice: Notice) => void;
}

/** After a user action: the header, the orphans and the given connections are looked at again at once. */
export type Changed = (scope?: readonly string[] | 'all') => void;

/** The deps plus the views' `changed`, which every action calls once it has changed something. */
export interface UseCaseDeps extends AppServiceDeps {
  readonly changed: Changed;
}
