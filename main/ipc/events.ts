/** Main → renderer events, parsed with the contract's schema before they leave main. */
import { eventChannels, type EventChannel, type EventPayload } from '../../preload/contract.js';

export type EventSink = (channel: EventChannel, payload: unknown) => void;

export interface EventPublisher {
  publish<C extends EventChannel>(channel: C, payload: EventPayload<C>): void;
}

/** `listening` says whether any window would receive an event: when none would, nothing is parsed. */
export function createEventPublisher(sink: EventSink, listening: () => boolean = () => true): EventPublisher {
  return {
    publish(channel, payload) {
      if (!listening()) return;
      sink(channel, eventChannels[channel].parse(payload));
    },
  };
}
