/**
 * /healthz: the keeper is healthy when it can keep what it learns, that is when the state store
 * takes a write and the secret store writes, reads back and deletes a marker. Probes run when
 * asked (a probe every few seconds is cheap: one small file, one lock taken and released), one at
 * a time; concurrent requests share the probe in flight. Reasons are plain words, never secrets.
 */
import { randomUUID } from 'node:crypto';
import type { SecretStore } from '../ports.js';
import { withTimeout } from '../secrets/with-timeout.js';

export interface HealthReport {
  readonly healthy: boolean;
  /** 'ok', or why the part is unusable. */
  readonly checks: { readonly stateStore: string; readonly secretStore: string };
}

const PROBE_ACCOUNT_PREFIX = 'health-';
const PROBE_TIMEOUT_MS = 5_000;

function reason(error: unknown): string {
  const text = error instanceof Error ? error.message : 'failed';
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

export function createHealthCheck(deps: { readonly probeState: () => void; readonly secretStore: SecretStore; readonly timeoutMs?: number }) {
  let inFlight: Promise<HealthReport> | null = null;

  async function probeSecrets(): Promise<void> {
    const account = `${PROBE_ACCOUNT_PREFIX}${randomUUID()}`;
    const marker = randomUUID();
    await deps.secretStore.set(account, marker);
    try {
      if ((await deps.secretStore.get(account)) !== marker) throw new Error('the secret store read back a different value');
    } finally {
      await deps.secretStore.delete(account);
    }
  }

  async function run(): Promise<HealthReport> {
    let stateStore = 'ok';
    try {
      deps.probeState();
    } catch (error) {
      stateStore = `the state database cannot take a write: ${reason(error)}`;
    }
    let secretStore = 'ok';
    try {
      await withTimeout(probeSecrets(), deps.timeoutMs ?? PROBE_TIMEOUT_MS, 'secret store probe');
    } catch (error) {
      secretStore = `the secret store cannot keep a secret: ${reason(error)}`;
    }
    return { healthy: stateStore === 'ok' && secretStore === 'ok', checks: { stateStore, secretStore } };
  }

  return {
    check(): Promise<HealthReport> {
      inFlight ??= run().finally(() => (inFlight = null));
      return inFlight;
    },
  };
}
