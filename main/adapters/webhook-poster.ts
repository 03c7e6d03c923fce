/**
 * Posts one JSON body to the keeper's webhook. A delivery that fails for the network, a timeout,
 * 429 or 5xx is tried again (3 tries in all, 2 s and 8 s apart): still one message for one
 * notification, never a second one. The URL (a Slack webhook URL is itself a secret) never
 * reaches a log line; failures name the host and the status only.
 */
import type { HttpFetch, Logger } from '../core/ports.js';

const TIMEOUT_MS = 10_000;
const RETRY_DELAYS_MS = [2_000, 8_000];

export function createWebhookPoster(url: string, deps: { readonly fetch?: HttpFetch; readonly logger: Logger; readonly retryDelaysMs?: readonly number[] }) {
  const fetchImpl = deps.fetch ?? ((u, init) => fetch(u, init));
  const host = new URL(url).host;
  const delays = deps.retryDelaysMs ?? RETRY_DELAYS_MS;
  const inFlight = new Set<Promise<void>>();

  async function attempt(body: string): Promise<'sent' | 'retry' | 'refused'> {
    try {
      const response = await fetchImpl(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(TIMEOUT_MS), redirect: 'error' });
      await response.body?.cancel();
      if (response.ok) return 'sent';
      deps.logger.warn('webhook: the receiver refused the message', { host, status: response.status });
      return response.status === 429 || response.status >= 500 ? 'retry' : 'refused';
    } catch (error) {
      deps.logger.warn('webhook: could not deliver', { host, error: error instanceof Error ? error.name : 'failed' });
      return 'retry';
    }
  }

  async function deliver(body: string): Promise<void> {
    for (let tries = 0; ; tries++) {
      const outcome = await attempt(body);
      if (outcome !== 'retry' || tries >= delays.length) return;
      await new Promise((resolve) => setTimeout(resolve, delays[tries]));
    }
  }

  return {
    send(body: unknown): void {
      const delivery = deliver(JSON.stringify(body)).finally(() => inFlight.delete(delivery));
      inFlight.add(delivery);
    },
    /** Before the process exits: deliveries under way finish (or give up). */
    settled: () => Promise.all([...inFlight]).then(() => undefined),
  };
}
