/** The local API as the server adapter takes it: the gated dispatcher and the `watch` feed. */
import type { Logger } from '../core/ports.js';
import { createLocalApiDispatcher } from './dispatcher.js';
import { createLocalApiHandlers, watchState, type LocalApiDeps } from './handlers.js';

export { COMMAND_LINE_ACCESS } from './access.js';

export function createLocalApi(deps: LocalApiDeps & { readonly logger: Logger }) {
  const dispatcher = createLocalApiDispatcher({ handlers: createLocalApiHandlers(deps), logger: deps.logger, face: deps.face });
  return {
    dispatch: (op: string, args: unknown) => dispatcher.dispatch(op, args),
    watch: (send: (event: unknown) => void) => watchState(deps.app, send),
  };
}
