/**
 * The main thread's own load over a span: event-loop utilization (the share of time the loop was
 * busy, not process CPU, so other threads such as a sandbox worker do not count), the main
 * thread's CPU time (process.threadCpuUsage: unlike busy time, not stretched while a loaded
 * machine runs something else) and the longest stall (the worst timer delay seen by
 * monitorEventLoopDelay at 10 ms resolution).
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

export interface MainThreadLoad {
  /** Busy share of the span, in percent. */
  readonly share: number;
  /** Busy milliseconds in the span. */
  readonly busyMs: number;
  /** The main thread's CPU milliseconds in the span. */
  readonly cpuMs: number;
  readonly longestStallMs: number;
}

/** This thread's CPU time so far, ms (Node 23.9+). */
function threadCpu(): number {
  const usage = (process as unknown as { threadCpuUsage(): { user: number; system: number } }).threadCpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** `stalls: false` leaves the delay monitor off (its 10 ms timer is main-thread work of its own, which idle would count). */
export async function mainThreadWhile(spanMs: number, begin: () => void = () => undefined, options: { stalls?: boolean } = {}): Promise<MainThreadLoad> {
  // A clean heap first (npm run bench exposes gc): no run pays for the garbage of the one before.
  (globalThis as { gc?: () => void }).gc?.();
  const delay = monitorEventLoopDelay({ resolution: 10 });
  if (options.stalls !== false) delay.enable();
  const before = performance.eventLoopUtilization();
  const cpuBefore = threadCpu();
  begin();
  await new Promise((resolve) => setTimeout(resolve, spanMs));
  const used = performance.eventLoopUtilization(before);
  const cpuMs = threadCpu() - cpuBefore;
  delay.disable();
  return { share: used.utilization * 100, busyMs: used.active, cpuMs, longestStallMs: options.stalls === false ? 0 : delay.max / 1e6 };
}
