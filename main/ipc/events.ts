/** Main → renderer events, parsed with the contract's schema before they leave main. */
import { eventChannels, type EventChannel, type EventPayload } from '../../preload/contract.js';

export type EventSink = (channel: EventChannel, payload: unknown) => void;

export interface EventPublisher {
  publish<C extends EventChannel>(channel: C, payload: EventPayload<C>): void;
}

export function createEventPublisher(sink: EventSink): EventPublisher {
  return {
    publish(channel, payload) {
      sink(channel, eventChannels[channel].parse(payload));
    },
  };
}
