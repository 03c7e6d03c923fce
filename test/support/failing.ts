/** Wrappers over real stores that fail chosen calls a set number of times (to interrupt a flow). */
import type { SecretStore, SettingsFile, StateStore } from '../../main/core/ports.js';

export interface FailSwitch {
  times: number;
  /** Let this many calls through before failing (settings writes only). */
  skip?: number;
}

export function failingSecretStore(store: SecretStore, method: 'set' | 'delete' | 'get' | 'findAll', fail: FailSwitch): SecretStore {
  const guard = <T>(call: () => Promise<T>): Promise<T> => {
    if (fail.times > 0) {
      fail.times--;
      return Promise.reject(new Error('keychain unavailable (test switch)'));
    }
    return call();
  };
  return {
    kind: store.kind,
    get: (a) => (method === 'get' ? guard(() => store.get(a)) : store.get(a)),
    set: (a, s) => (method === 'set' ? guard(() => store.set(a, s)) : store.set(a, s)),
    delete: (a) => (method === 'delete' ? guard(() => store.delete(a)) : store.delete(a)),
    findAll: () => (method === 'findAll' ? guard(() => store.findAll()) : store.findAll()),
  };
}

export function failingWrites(file: SettingsFile, fail: FailSwitch): SettingsFile {
  return {
    read: () => file.read(),
    backup: (kind) => file.backup(kind),
    keepAside: (data) => file.keepAside(data),
    write(data) {
      if (fail.skip && fail.skip > 0) fail.skip--;
      else if (fail.times > 0) {
        fail.times--;
        throw new Error('disk full (test switch)');
      }
      file.write(data);
    },
  };
}

/** A state store whose connection writes fail on command (a full disk), like failingWrites. */
export function failingStateWrites(state: StateStore, fail: FailSwitch): StateStore {
  return {
    ...state,
    saveConnections(put, remove, options) {
      if (fail.skip && fail.skip > 0) fail.skip--;
      else if (fail.times > 0) {
        fail.times--;
        throw new Error('disk full (test switch)');
      }
      state.saveConnections(put, remove, options);
    },
  };
}
