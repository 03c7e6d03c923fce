/**
 * `keeper run`: the keeper as a service. Logs JSON lines on stdout, tells each notice to its
 * webhook, serves /healthz and /metrics on loopback and the command line's local API on a socket
 * in its data folder, keeps the connections alive until SIGTERM or SIGINT, then lets the check in
 * flight finish and commits.
 */
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import packageJson from '../../package.json' with { type: 'json' };
import { readSmallFile } from '../adapters/data-folder.js';
import { createJsonLineLogger } from '../adapters/json-line-logger.js';
import { startLocalApiServer } from '../adapters/local-api-server.js';
import { startMetricsServer } from '../adapters/metrics-server.js';
import { systemClock } from '../adapters/system-clock.js';
import { createWebhookPoster } from '../adapters/webhook-poster.js';
import { createHealthCheck } from '../core/keeper/health.js';
import { stopKeeping } from '../core/keeper/lifecycle.js';
import { checkWebhookUrl, noticeFields, webhookBody } from '../core/keeper/notices.js';
import { EXIT, type RunOptions } from '../core/keeper/options.js';
import { createKeeperTelemetry } from '../core/keeper/telemetry.js';
import type { Notice } from '../core/keepalive/notification-policy.js';
import { createLocalApi } from '../local-api/index.js';
import { localApiSocketPath } from '../../shared/local-api.js';
import { holdProcessOpen, openKeeper, PRODUCT, Refusal } from './open.js';

const WEBHOOK_GRACE_MS = 5_000;

function resolveWebhook(options: RunOptions): string | null {
  let text = options.webhook;
  if (options.webhookFile) {
    const read = readSmallFile(options.webhookFile, 4096);
    if (!read.ok || !read.bytes) throw new Refusal(`The webhook file ${options.webhookFile} cannot be read${read.ok ? ': it does not exist' : `: ${read.reason}`}.`, EXIT.config);
    text = read.bytes.toString('utf8').trim();
  }
  if (text === null) return null;
  const checked = checkWebhookUrl(text);
  if (!checked.ok) throw new Refusal(checked.message);
  return checked.url;
}

/**
 * `data2crm-tray --keeper <this> status` talks to it. In the data folder (0700; the socket gets a
 * 0700 `run/` of its own), never in $XDG_RUNTIME_DIR: one user may run several keepers, one per
 * data folder, and one shared runtime path would let only the first of them listen.
 */
export function keeperSocketPath(data: string): string {
  return localApiSocketPath({ platform: process.platform, env: { ...process.env, XDG_RUNTIME_DIR: undefined }, dataDir: resolve(data), name: 'data2crm-keeper' });
}

export async function run(options: RunOptions): Promise<number> {
  const logger = createJsonLineLogger((line) => process.stdout.write(line));
  const webhookUrl = resolveWebhook(options);
  const name = options.name ?? hostname();
  const webhook = webhookUrl ? createWebhookPoster(webhookUrl, { logger }) : null;
  // A signal, or the core's own quit (the local API's), ends the service the same way.
  let asked: (why: string) => void = () => undefined;
  const stopAsked = new Promise<string>((resolve) => (asked = resolve));
  process.once('SIGTERM', () => asked('SIGTERM'));
  process.once('SIGINT', () => asked('SIGINT'));
  const notify = (notice: Notice) => {
    logger.warn(notice.title, noticeFields(notice));
    webhook?.send(webhookBody(notice, name));
  };
  const keeper = await openKeeper(options, logger, notify, () => asked('quit'));
  const { core } = keeper;
  const log = core.logger;
  core.keepAlive.subscribe((event) => log.info('connection changed', { event: 'connection', connection: event.connectionId, label: event.label, kind: event.kind, from: event.from, to: event.to, detail: event.detail }));
  const telemetry = createKeeperTelemetry({ keepAlive: core.keepAlive, settings: core.settings, clock: systemClock });
  const health = createHealthCheck({ probeState: () => keeper.stateStore.probe?.(), secretStore: keeper.secrets.store });
  const metrics = options.metricsPort === null ? null : await startMetricsServer(options.metricsPort, { snapshot: telemetry.snapshot, health: health.check, info: { version: packageJson.version, secretStore: keeper.secrets.kind } });
  if (metrics) log.info('metrics: serving /healthz and /metrics', { address: `127.0.0.1:${metrics.port}`, port: metrics.port });

  const localApi = await startLocalApiServer({
    socketPath: keeperSocketPath(options.data),
    ...createLocalApi({ appInfo: { name: PRODUCT, version: packageJson.version }, app: core.app, logger: log, face: 'keeper' }),
    logger: log,
  });

  core.keepAlive.start();
  const release = holdProcessOpen();
  if (process.env['D2C_TEST_MODE'] === '1') Object.assign(globalThis, { __d2cKeeperTest: { whenIdle: () => core.keepAlive.whenIdle() } });
  log.info('keeper started', { version: packageJson.version, name, data: options.data, storage: keeper.secrets.kind, connections: core.settings.connectionCount() });
  log.info('stopping', { signal: await stopAsked });
  // No new command once stopping: what it would ask for could not be committed any more.
  await localApi?.close();
  await stopKeeping({ keepAlive: core.keepAlive, close: () => keeper.close(), logger: log });
  await metrics?.close();
  // A webhook still retrying gets a few seconds more, within a service manager's grace period.
  await Promise.race([webhook?.settled(), new Promise((resolve) => setTimeout(resolve, WEBHOOK_GRACE_MS).unref())]);
  release();
  return EXIT.ok;
}

