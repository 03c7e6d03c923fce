/**
 * Swapped in for main/adapters/system-clock.ts in a keeper bundle built for tests of time
 * (keeper-process.ts): the keeper's Clock is a fake the test moves over the child's IPC channel,
 * timer by timer, waiting after each for the checks it started to finish, as the in-process
 * keep-alive harness does. The Clock port is the seam; everything else is the real keeper.
 */
import { createFakeClock } from './fake-clock.js';

interface KeeperTestHooks {
  whenIdle(): Promise<void>;
}

/** A restarted keeper goes on from where the test left the last one's clock (time never runs back at a restart). */
const start = Number(process.env['D2C_KEEPER_CLOCK_START']) || Date.now();
export const systemClock = createFakeClock(start);

const hooks = () => (globalThis as { __d2cKeeperTest?: KeeperTestHooks }).__d2cKeeperTest;
const settle = () => new Promise((resolve) => setImmediate(resolve));

async function advance(ms: number): Promise<void> {
  const target = systemClock.monotonic() + ms;
  for (;;) {
    const next = systemClock.nextTimerAt();
    if (next === null || next > target) break;
    systemClock.advance(next - systemClock.monotonic());
    await settle();
    await hooks()?.whenIdle();
    await settle();
  }
  systemClock.advance(target - systemClock.monotonic());
  await settle();
  await hooks()?.whenIdle();
}

process.on('message', (message: { type?: string; ms?: number }) => {
  if (message.type !== 'advance' || typeof message.ms !== 'number') return;
  void advance(message.ms).then(() => process.send?.({ type: 'advanced', now: systemClock.now() }));
});
process.send?.({ type: 'clock', now: systemClock.now() });
