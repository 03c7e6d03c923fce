/**
 * The gate every command-line request passes: a known operation, one the command line may call
 * (access.ts; a refused one says why), its argument parsed and its result parsed again with the
 * same schemas the windows' calls use (ipc/channel-gate.ts). Who may connect at all is decided by
 * the socket's permissions (main/adapters/local-api-server.ts).
 */
import type { Logger } from '../core/ports.js';
import { runThroughSchemas } from '../ipc/channel-gate.js';
import { operationSpec, type LocalApiEnvelope } from '../../shared/local-api-schemas.js';
import { accessFor, COMMAND_LINE_ACCESS, type Face } from './access.js';
import type { LocalApiHandlers } from './handlers.js';

export interface LocalApiDispatcher {
  dispatch(op: string, rawArgs: unknown): Promise<LocalApiEnvelope>;
}

export function createLocalApiDispatcher(options: { handlers: LocalApiHandlers; logger: Logger; face: Face }): LocalApiDispatcher {
  const { handlers, logger, face } = options;
  return {
    async dispatch(op, rawArgs) {
      const spec = operationSpec(op);
      const access = Object.hasOwn(COMMAND_LINE_ACCESS, op) ? COMMAND_LINE_ACCESS[op as keyof typeof COMMAND_LINE_ACCESS] : undefined;
      if (!spec || !access) {
        logger.warn('local-api: unknown operation refused', { op: op.slice(0, 60) });
        return { ok: false, error: { code: 'unknown-operation', message: 'The app does not know this operation: the command line and the app may be of different versions.' } };
      }
      const here = accessFor(access, face);
      if (!here.allowed) {
        logger.info('local-api: operation refused', { op });
        return { ok: false, error: { code: 'refused', message: here.reason } };
      }
      const handler = handlers[op as keyof LocalApiHandlers] as ((args: unknown) => unknown) | undefined;
      return runThroughSchemas(spec, handler, rawArgs, { logger, where: 'local-api', channel: op });
    },
  };
}
