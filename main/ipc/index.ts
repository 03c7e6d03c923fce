export { createIpcDispatcher } from './dispatcher.js';
export type { IpcDispatcher, IpcHandlers } from './dispatcher.js';
export { createIpcHandlers } from './handlers.js';
export type { HandlerDeps } from './handlers.js';
export { createSenderCheck, originOf } from './trusted-sender.js';
export type { IpcSender } from './trusted-sender.js';
export { createEventPublisher } from './events.js';
export type { EventPublisher, EventSink } from './events.js';
