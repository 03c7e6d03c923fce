/**
 * The keeper's operator endpoints on a loopback port: GET /healthz (200 or 503 with the reason
 * per part, JSON) and GET /metrics (Prometheus text, prom-client). The numbers and the verdict
 * come from the core (keeper/telemetry.ts, keeper/health.ts); this file names and serves them.
 * No default process metrics: their event-loop monitor wakes the process 100 times a second,
 * and an idle keeper should cost nothing.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, Registry } from 'prom-client';
import type { HealthReport } from '../core/keeper/health.js';
import { FAILURE_KINDS, type TelemetrySnapshot } from '../core/keeper/telemetry.js';
import { CONNECTION_STATUSES } from '../core/settings/schema.js';

export interface MetricsSources {
  readonly snapshot: () => TelemetrySnapshot;
  readonly health: () => Promise<HealthReport>;
  readonly info: { readonly version: string; readonly secretStore: string };
}

/** The registry with stable names (data2crm_keeper_*): dashboards and alerts depend on them. */
export function keeperRegistry(sources: MetricsSources): Registry {
  const registry = new Registry();
  // One snapshot per scrape, shared by every metric's collect().
  let scrape: TelemetrySnapshot | null = null;
  const current = () => (scrape ??= sources.snapshot());
  const seen = { refreshes: 0, failures: Object.fromEntries(FAILURE_KINDS.map((k) => [k, 0])) as Record<string, number> };

  new Gauge({
    name: 'data2crm_keeper_info',
    help: 'Always 1; the labels say the keeper version and where it keeps secrets.',
    labelNames: ['version', 'secret_store'],
    registers: [registry],
    // First in the registry, so each scrape starts here with a fresh snapshot.
    collect() {
      scrape = null;
      this.set({ version: sources.info.version, secret_store: sources.info.secretStore }, 1);
    },
  });
  new Gauge({
    name: 'data2crm_keeper_connections',
    help: 'Connections kept, by state (healthy, retrying, needs-reauthorization, ...).',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const { connections } = current();
      for (const state of CONNECTION_STATUSES) this.set({ state }, connections[state]);
    },
  });
  new Counter({
    name: 'data2crm_keeper_refreshes_total',
    help: 'Access tokens renewed and taken by Data2CRM since the keeper started.',
    registers: [registry],
    collect() {
      const { refreshes } = current();
      this.inc(refreshes - seen.refreshes);
      seen.refreshes = refreshes;
    },
  });
  new Counter({
    name: 'data2crm_keeper_failures_total',
    help: 'Checks that failed since the keeper started, by kind (transient, unexpected, needs-user, application-deleted, user-key-rejected).',
    labelNames: ['kind'],
    registers: [registry],
    collect() {
      const { failures } = current();
      for (const kind of FAILURE_KINDS) {
        this.inc({ kind }, failures[kind] - (seen.failures[kind] ?? 0));
        seen.failures[kind] = failures[kind];
      }
    },
  });
  new Gauge({
    name: 'data2crm_keeper_next_due_lag_seconds',
    help: 'How late the most overdue planned check is (0 when none is late).',
    registers: [registry],
    collect() {
      this.set(current().nextDueLagSeconds);
    },
  });
  new Gauge({
    name: 'data2crm_keeper_checks_running',
    help: 'Checks running now.',
    registers: [registry],
    collect() {
      this.set(current().checksRunning);
    },
  });
  return registry;
}

/** Listens on 127.0.0.1 only; port 0 picks a free one (see `port`). */
export async function startMetricsServer(port: number, sources: MetricsSources): Promise<{ port: number; close(): Promise<void> }> {
  const registry = keeperRegistry(sources);
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/healthz') {
      void sources.health().then((report) => {
        res.writeHead(report.healthy ? 200 : 503, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
        res.end(JSON.stringify({ status: report.healthy ? 'ok' : 'unhealthy', checks: report.checks }));
      });
      return;
    }
    if (path === '/metrics') {
      void registry.metrics().then(
        (text) => {
          res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' });
          res.end(text);
        },
        () => res.writeHead(500).end(),
      );
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('GET /healthz or /metrics\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
