import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LoggedRequest } from './request-log.js';
import type { SandboxState } from './state.js';

export interface RouteContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
  readonly body: string;
  readonly state: SandboxState;
  /** The sandbox's own origin: Salesforce instance URL, identity host, login host. */
  readonly origin: string;
  readonly log: LoggedRequest;
}

export type RouteHandler = (ctx: RouteContext) => void | Promise<void>;

export interface Route {
  readonly name: string;
  readonly method: string | string[];
  readonly pattern: RegExp;
  readonly handler: RouteHandler;
}
