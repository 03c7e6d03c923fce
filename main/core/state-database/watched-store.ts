/**
 * The state store as the core uses it: every refusal (a StorageFailure) is told to the health
 * before it reaches the caller, and every write that lands ends a problem. The callers decide what
 * a refused write means for them (keep-alive retries, an action says why it was not saved).
 */
import type { StateStore, WriteOptions } from '../ports.js';
import type { StateDatabaseHealth } from './health.js';
import { storageFailureOf } from './storage-failure.js';

/** Whether a call's success shows the database took a write (a routine one waits for its commit). */
type Landed<A extends unknown[]> = (args: A) => boolean;
const never = () => false;
const durable =
  (at: number) =>
  (args: unknown[]): boolean =>
    !(args[at] as WriteOptions | undefined)?.routine;

export function watchedStateStore(store: StateStore, health: Pick<StateDatabaseHealth, 'failed' | 'succeeded'>): StateStore {
  function watched<A extends unknown[], R>(call: (...args: A) => R, landed: Landed<A>): (...args: A) => R {
    return (...args) => {
      let result: R;
      try {
        result = call(...args);
      } catch (error) {
        const failure = storageFailureOf(error);
        if (failure) health.failed(failure.kind);
        throw error;
      }
      if (landed(args)) health.succeeded();
      return result;
    };
  }
  // Routine writes land with the store's own commit: it says how that went.
  store.onBackgroundCommit?.((failure) => (failure ? health.failed(failure) : health.succeeded()));
  return {
    ...store,
    loadConnections: watched(store.loadConnections, never),
    recentActivity: watched(store.recentActivity, never),
    saveConnections: watched(store.saveConnections, durable(2)),
    appendActivity: watched(store.appendActivity, durable(1)),
    replaceActivity: watched(store.replaceActivity, durable(2)),
    pruneActivity: watched(store.pruneActivity, () => true),
    // A commit with nothing waiting touches nothing: it proves nothing about the database.
    commit: watched(store.commit, never),
  };
}
