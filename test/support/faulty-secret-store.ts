/**
 * A SecretStore port over a real store that misbehaves on demand, for the keychain faults a real
 * keychain cannot be made to show: calls that reject, hang (until released), return damaged
 * values, or answer slowly. Faults are chosen per method and account, for a number of calls.
 */
import type { SecretStore } from '../../main/core/ports.js';

type Method = 'get' | 'set' | 'delete' | 'findAll';
export type SecretFault = { kind: 'reject' } | { kind: 'hang' } | { kind: 'corrupt' } | { kind: 'slow'; ms: () => number };

interface Rule {
  method: Method;
  fault: SecretFault;
  times: number;
  account?: (account: string) => boolean;
}

export function faultySecretStore(store: SecretStore) {
  const rules: Rule[] = [];
  const hung: Array<() => void> = [];
  const calls: Array<{ method: Method; account: string | null; fault: SecretFault['kind'] | null }> = [];

  function ruleFor(method: Method, account: string | null): Rule | undefined {
    const rule = rules.find((r) => r.method === method && r.times > 0 && (!r.account || (account !== null && r.account(account))));
    if (rule) rule.times--;
    return rule;
  }

  const damage = (secret: string | null) => (secret === null ? null : `${secret.slice(0, Math.floor(secret.length / 2))}\u0000damaged`);

  const inFlight = new Set<Promise<unknown>>();

  /** Every call is tracked until it settles, so a test can wait for released ones before cleaning up. */
  function apply<T>(method: Method, account: string | null, call: () => Promise<T>, corrupt: (value: T) => T = (v) => v): Promise<T> {
    const running = applyNow(method, account, call, corrupt);
    inFlight.add(running);
    void running.then(
      () => inFlight.delete(running),
      () => inFlight.delete(running),
    );
    return running;
  }

  async function applyNow<T>(method: Method, account: string | null, call: () => Promise<T>, corrupt: (value: T) => T): Promise<T> {
    const rule = ruleFor(method, account);
    calls.push({ method, account, fault: rule?.fault.kind ?? null });
    if (!rule) return call();
    switch (rule.fault.kind) {
      case 'reject':
        throw new Error('the keychain refused (injected fault)');
      case 'hang':
        // Never answers until released; released calls then go through as normal.
        await new Promise<void>((resolve) => hung.push(resolve));
        return call();
      case 'slow':
        await new Promise((resolve) => setTimeout(resolve, (rule.fault as { ms: () => number }).ms()));
        return call();
      case 'corrupt':
        return corrupt(await call());
    }
  }

  const wrapped: SecretStore = {
    kind: store.kind,
    get: (a) => apply('get', a, () => store.get(a), damage),
    set: (a, s) => apply('set', a, () => store.set(a, s)),
    delete: (a) => apply('delete', a, () => store.delete(a)),
    // A listing: the corrupt fault damages only the entries whose account matches.
    findAll: () => {
      const rule = rules.find((r) => r.method === 'findAll' && r.times > 0);
      if (rule?.fault.kind === 'corrupt') {
        rule.times--;
        calls.push({ method: 'findAll', account: null, fault: 'corrupt' });
        return store.findAll().then((entries) => entries.map((e) => (!rule.account || rule.account(e.account) ? { ...e, secret: damage(e.secret) } : e)));
      }
      return apply('findAll', null, () => store.findAll());
    },
  };

  return {
    store: wrapped,
    /** Adds a fault for the next `times` matching calls (default: until cleared). */
    inject(method: Method, fault: SecretFault, options: { times?: number; account?: (account: string) => boolean } = {}) {
      rules.push({ method, fault, times: options.times ?? Number.POSITIVE_INFINITY, ...(options.account ? { account: options.account } : {}) });
    },
    clear() {
      rules.length = 0;
    },
    /** Lets every hung call go through. */
    release() {
      for (const resolve of hung.splice(0)) resolve();
    },
    /** Resolves once no call is in flight (the keychain must not be listed while it is being emptied). */
    async settled() {
      while (inFlight.size) await Promise.allSettled([...inFlight]);
    },
    calls,
  };
}

export type FaultySecretStore = ReturnType<typeof faultySecretStore>;
