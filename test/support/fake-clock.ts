/** A Clock the test moves by hand: the honest fake for time (a port made for it). */
import type { Clock } from '../../main/core/ports.js';

export interface FakeClock extends Clock {
  /** Moves both clocks forward, firing due timers in order. */
  advance(ms: number): void;
  /** Moves the wall clock only (a clock change or NTP step). */
  jumpWall(ms: number): void;
  /** Suspend: real time and the wall clock go on, monotonic time and timers stop (Linux). */
  sleep(ms: number): void;
  /** Real time: what really passed since the start (monotonic plus sleeps; clock changes excluded). */
  real(): number;
  pendingTimers(): number;
  /** Monotonic time of the next timer, or null. */
  nextTimerAt(): number | null;
}

export function createFakeClock(start = Date.parse('2026-11-28T09:00:00Z')): FakeClock {
  let wall = start;
  let mono = 0;
  let slept = 0;
  let seq = 0;
  const timers = new Map<number, { at: number; fire: () => void }>();
  return {
    now: () => wall,
    monotonic: () => mono,
    setTimer(delayMs, fire) {
      const id = ++seq;
      timers.set(id, { at: mono + Math.max(0, delayMs), fire });
      return { cancel: () => void timers.delete(id) };
    },
    advance(ms) {
      const target = mono + ms;
      for (;;) {
        const due = [...timers.entries()].filter(([, t]) => t.at <= target).sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
        if (!due) break;
        timers.delete(due[0]);
        wall += due[1].at - mono;
        mono = due[1].at;
        due[1].fire();
      }
      wall += target - mono;
      mono = target;
    },
    jumpWall(ms) {
      wall += ms;
    },
    sleep(ms) {
      wall += ms;
      slept += ms;
    },
    real: () => start + mono + slept,
    pendingTimers: () => timers.size,
    nextTimerAt: () => (timers.size ? Math.min(...[...timers.values()].map((t) => t.at)) : null),
  };
}
