/**
 * The state store as the core uses it: every refusal (a StorageFailure) is told to the health
 * before it reaches the caller, and every write that lands ends a problem. The callers decide what
 * a refused write means for them (keep-alive retries, an action says why it was not saved).
 */
import type { StateStore } from '../ports.js';
import type { StateDatabaseHealth } from './health.js';
import { storageFailureOf } from './storage-failure.js';

export function watchedStateStore(store: StateStore, health: Pick<StateDatabaseHealth, 'failed' | 'succeeded'>): StateStore {
  function watched<A extends unknown[], R>(call: (...args: A) => R, wrote: boolean): (...args: A) => R {
    return (...args) => {
      let result: R;
      try {
        result = call(...args);
      } catch (error) {
        const failure = storageFailureOf(error);
        if (failure) health.failed(failure.kind);
        throw error;
      }
      if (wrote) health.succeeded();
      return result;
    };
  }
  store.onBackgroundCommit?.((failure) => (failure ? health.failed(failure) : health.succeeded()));
  return {
    ...store,
    loadConnections: watched(store.loadConnections, false),
    recentActivity: watched(store.recentActivity, false),
    saveConnections: watched(store.saveConnections, true),
    appendActivity: watched(store.appendActivity, true),
    replaceActivity: watched(store.replaceActivity, true),
    pruneActivity: watched(store.pruneActivity, true),
    // A commit with nothing waiting touches nothing: it proves nothing about the database.
    commit: watched(store.commit, false),
  };
}
