/**
 * Connect and disconnect Salesforce orgs, and change existing connections: the flows the use cases
 * (main/core/use-cases/) run, each in its own file and all over one shared context
 * (connection-context.ts). Results are values (`Result<…, ConnectFailure>`); the use cases turn
 * them into the user's words.
 *
 * - connect-flows.ts: the three ways to connect (and, for a keeper, tokens of the user's own app
 *   without a redirect, pasted or from the device flow); a failure at any step undoes the earlier ones.
 * - reauthorize-flow.ts: sign in again, or take pasted tokens, for an existing connection.
 * - new-credentials.ts: new tokens to memory, the keychain, then Data2CRM, in the connection's queue.
 * - record-edits.ts: register again in Data2CRM, rename.
 * - disconnect-flow.ts: idempotent and resumable, step by recorded step.
 *
 * While the state database is a newer version's (`readOnly`), the flows that call a service before
 * their write are refused before they start (newer-database.ts); rename and disconnect write first.
 */
import type { ConnectionRecord } from '../settings/schema.js';
import { createConnectFlows } from './connect-flows.js';
import { createConnectionContext, type ConnectionServiceDeps } from './connection-context.js';
import { createDisconnectFlow } from './disconnect-flow.js';
import { createNewCredentials } from './new-credentials.js';
import { refusedWhileNewer } from './newer-database.js';
import { createReauthorizeFlow } from './reauthorize-flow.js';
import { createRecordEdits } from './record-edits.js';

export type { ConnectFailure, Disconnected, DisconnectFailure } from './connection-failures.js';
export type { ConnectionServiceDeps } from './connection-context.js';
export type { ExternalConnectInput, ExternalTokensInput, ManualConnectInput } from './connect-flows.js';

export function createConnectionService(deps: ConnectionServiceDeps) {
  const ctx = createConnectionContext(deps);
  const credentials = createNewCredentials(ctx);
  const readOnly = deps.readOnly ?? false;
  const { registerAgain, rename } = createRecordEdits(ctx, credentials);
  return {
    list: (): readonly ConnectionRecord[] => ctx.settings.get().connections,
    /** True while a connect has written the keychain entry but not yet the record. */
    isConnecting: (id: string): boolean => ctx.connecting.has(id),
    ...refusedWhileNewer(createConnectFlows(ctx), readOnly),
    ...refusedWhileNewer(createReauthorizeFlow(ctx, credentials), readOnly),
    ...refusedWhileNewer({ registerAgain }, readOnly),
    rename,
    ...createDisconnectFlow(ctx),
  };
}

export type ConnectionService = ReturnType<typeof createConnectionService>;
