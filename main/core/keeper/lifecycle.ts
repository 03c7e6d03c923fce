/**
 * Stopping a keeper (SIGTERM from systemd or `docker stop`, SIGINT from a terminal): nothing new
 * starts, the checks in flight finish (a refresh half done would leave a rotated token unpushed),
 * then every waiting write is committed and the stores close. A check that outlives the deadline
 * is abandoned: what it stored is on disk already (a rotated refresh token is written before it is
 * used), and a push it did not finish is pending and is sent at the next start.
 */
import type { KeepAlive } from '../keepalive/keep-alive.js';
import type { Logger } from '../ports.js';

/** Under Docker's default 10 s grace, above one check's usual length. */
export const STOP_DEADLINE_MS = 8_000;

export async function stopKeeping(deps: { readonly keepAlive: KeepAlive; readonly close: () => void | Promise<void>; readonly logger: Logger; readonly deadlineMs?: number }): Promise<'finished' | 'deadline'> {
  const running = deps.keepAlive.scheduler.inFlightCount();
  deps.keepAlive.stop();
  if (running > 0) deps.logger.info('stopping: letting the checks in flight finish', { running });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<'deadline'>((resolve) => (timer = setTimeout(() => resolve('deadline'), deps.deadlineMs ?? STOP_DEADLINE_MS)));
  const outcome = await Promise.race([deps.keepAlive.whenIdle().then(() => 'finished' as const), deadline]);
  clearTimeout(timer);
  if (outcome === 'deadline') deps.logger.warn('stopping: a check did not finish in time; what it stored is kept, an unfinished push is sent at the next start');
  await deps.close();
  deps.logger.info('stopped: everything committed', { outcome });
  return outcome;
}
