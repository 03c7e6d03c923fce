/**
 * A keep-alive over real parts (sandbox HTTP, private keychain, conf settings, Chromium for silent
 * sign-in) driven by a fake clock that the sandbox's clock follows, so hours pass in seconds.
 */
import { createLoopbackListener } from '../../main/adapters/loopback-listener.js';
import { createActivityLog } from '../../main/core/keepalive/activity-log.js';
import { createKeepAlive } from '../../main/core/keepalive/keep-alive.js';
import { createNotificationPolicy, type Notice } from '../../main/core/keepalive/notification-policy.js';
import { createCheckContextSource } from '../../main/core/keepalive/check-context.js';
import type { ConnectionEvent } from '../../main/core/keepalive/events.js';
import type { RefreshSettings } from '../../main/core/settings/schema.js';
import type { Sandbox } from '../sandbox/server.js';
import type { ConnectHarness } from './connect-harness.js';
import { createFakeClock } from './fake-clock.js';

/** `random`: the scheduler's and backoff's draws (default 0.5: jitter lands mid-window, always the same). */
export function createKeepAliveHarness(sandbox: Sandbox, h: ConnectHarness, refresh: Partial<RefreshSettings> = {}, options: { random?: () => number } = {}) {
  const clock = createFakeClock(Date.now());
  // The sandbox follows real time (our wall clock may jump; Salesforce's does not).
  const sync = () => sandbox.control.setClockOffset(clock.real() - Date.now());
  h.settings.update((s) => ({ ...s, refresh: { ...s.refresh, ...refresh } }));
  const notices: Notice[] = [];
  const events: ConnectionEvent[] = [];
  const policy = createNotificationPolicy({ now: () => clock.now() });
  const keepAlive = createKeepAlive({
    settings: h.settings,
    clock,
    logger: h.logger,
    policy,
    notify: (n) => notices.push(n),
    random: options.random ?? (() => 0.5),
    queue: h.queue,
    context: createCheckContextSource({ settings: h.settings, vault: h.vault, clock, listener: createLoopbackListener(), appWindow: h.authBrowser }),
  });
  keepAlive.subscribe((e) => events.push(e));
  // The activity log as compose wires it: keep-alive's events become its rows.
  const activity = createActivityLog(h.state, () => clock.now());
  keepAlive.subscribe((e) => activity.append(e));

  /** Moves time forward timer by timer, letting each run finish against the sandbox. */
  async function advance(ms: number, afterEachStep?: () => Promise<void>) {
    const target = clock.monotonic() + ms;
    for (;;) {
      const next = clock.nextTimerAt();
      if (next === null || next > target) break;
      clock.advance(next - clock.monotonic());
      sync();
      await new Promise((r) => setTimeout(r, 0));
      await keepAlive.whenIdle();
      await afterEachStep?.();
    }
    clock.advance(target - clock.monotonic());
    sync();
  }

  /** Suspends for `ms` (timers stop), then resumes as powerMonitor reports it. */
  async function sleep(ms: number) {
    clock.sleep(ms);
    sync();
    keepAlive.resumed();
    await new Promise((r) => setTimeout(r, 0));
    await keepAlive.whenIdle();
  }

  return { clock, keepAlive, notices, events, activity, policy, advance, sleep, sync, settings: () => h.settings.get(), record: (id: string) => h.settings.get().connections.find((c) => c.id === id)! };
}
