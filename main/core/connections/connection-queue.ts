/**
 * One thing at a time per connection: keep-alive runs and user actions (refresh now, re-authorize,
 * update tokens, register again, rename, disconnect) on the same connection run in the order they
 * asked, never overlapping, so a disconnect can never be overtaken by a refresh that saves a
 * rotated token after the entry was wiped. Different connections never wait for each other.
 */
export interface ConnectionQueue {
  run<T>(connectionId: string, work: () => Promise<T>): Promise<T>;
}

export function createConnectionQueue(): ConnectionQueue {
  const tails = new Map<string, Promise<unknown>>();
  return {
    run(id, work) {
      const previous = tails.get(id) ?? Promise.resolve();
      const mine = previous.then(work, work);
      const tail = mine.then(
        () => undefined,
        () => undefined,
      );
      tails.set(id, tail);
      void tail.then(() => {
        if (tails.get(id) === tail) tails.delete(id);
      });
      return mine;
    },
  };
}

/** For callers built without a queue (unit tests of one part): work runs straight away. */
export const unqueued: ConnectionQueue = { run: (_id, work) => work() };

/**
 * Every run waits for `ready` first (the secrets' first listing at startup), keeping the queue's
 * order: a check or action that came before its secrets were loaded waits instead of finding none.
 */
export function waitingFor(ready: () => Promise<void>, queue: ConnectionQueue): ConnectionQueue {
  return { run: (id, work) => queue.run(id, () => ready().then(work)) };
}
