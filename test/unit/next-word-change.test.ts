/**
 * The window's timer sleeps until nextWordChange: that is only honest if no shown text can change
 * before then. Checked against the real wording (shared/state-words.ts) for random events and
 * instants: every text stays the same until the instant named, and a minute-counted one changes then.
 */
import { describe, expect, it } from 'vitest';
import { connectionStateLine, relativeWords } from '../../shared/state-words.js';
import { nextWordChange } from '../../renderer/src/components/time.js';

const MIN = 60_000;
const T = Date.parse('2026-11-28T09:00:00Z');

/** A small deterministic generator: the same cases every run. */
function random(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
}

describe('nextWordChange', () => {
  it('is the next whole minute from the nearest event, and null when nothing is shown', () => {
    expect(nextWordChange([], T)).toBeNull();
    expect(nextWordChange([null], T)).toBeNull();
    expect(nextWordChange([T - 10_000], T)).toBe(T + 50_000);
    expect(nextWordChange([T - 10_000, T + 95_000], T)).toBe(T + 35_000);
    // Exactly on a mark: the text for this instant is already shown; the next mark is a minute on.
    expect(nextWordChange([T - 2 * MIN], T)).toBe(T + MIN);
  });

  it('no relative text or state line changes before the instant it names', () => {
    const next = random(7);
    for (let i = 0; i < 2_000; i++) {
      const now = T + Math.floor(next() * 3_600_000);
      const lastVerifiedAt = now - Math.floor(next() * 5 * 3_600_000);
      const expiresAt = now + Math.floor((next() - 0.2) * 3 * 3_600_000);
      const nextRunAt = next() < 0.5 ? null : now + Math.floor(next() * 2 * 3_600_000);
      const texts = (t: number) =>
        [relativeWords(lastVerifiedAt, t), relativeWords(expiresAt, t)].concat(
          (['healthy', 'retrying', 'degraded'] as const).flatMap((status) => (['internal', 'external', 'manual'] as const).map((mode) => connectionStateLine({ status, mode, busy: false, lastVerifiedAt, expiresAt: mode === 'internal' ? null : expiresAt, nextRunAt }, t))),
        );
      const change = nextWordChange([lastVerifiedAt, expiresAt, nextRunAt], now)!;
      expect(change).toBeGreaterThan(now);
      expect(change - now).toBeLessThanOrEqual(MIN);
      const shown = texts(now);
      for (const t of [now + 1, Math.floor((now + change) / 2), change - 1]) expect(texts(t), `at +${t - now} ms`).toEqual(shown);
    }
  });

  it('a minute-counted text does change at the instant named', () => {
    const now = T;
    const at = T - 4 * MIN - 25_000;
    const change = nextWordChange([at], now)!;
    expect(relativeWords(at, change - 1)).toBe('4 min ago');
    expect(relativeWords(at, change)).toBe('5 min ago');
  });
});
