/**
 * The main thread's own load over a span: event-loop utilization (the share of time the loop was
 * busy, not process CPU, so other threads such as a sandbox worker do not count) and the longest
 * stall (the worst timer delay seen by monitorEventLoopDelay at 10 ms resolution).
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

export interface MainThreadLoad {
  /** Busy share of the span, in percent. */
  readonly share: number;
  /** Busy milliseconds in the span. */
  readonly busyMs: number;
  readonly longestStallMs: number;
}

/** `stalls: false` leaves the delay monitor off (its 10 ms timer is main-thread work of its own, which idle would count). */
export async function mainThreadWhile(spanMs: number, begin: () => void = () => undefined, options: { stalls?: boolean } = {}): Promise<MainThreadLoad> {
  // A clean heap first (npm run bench exposes gc): no run pays for the garbage of the one before.
  (globalThis as { gc?: () => void }).gc?.();
  const delay = monitorEventLoopDelay({ resolution: 10 });
  if (options.stalls !== false) delay.enable();
  const before = performance.eventLoopUtilization();
  begin();
  await new Promise((resolve) => setTimeout(resolve, spanMs));
  const used = performance.eventLoopUtilization(before);
  delay.disable();
  return { share: used.utilization * 100, busyMs: used.active, longestStallMs: options.stalls === false ? 0 : delay.max / 1e6 };
}
