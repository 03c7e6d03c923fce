import { describe, expect, it } from 'vitest';
import { isTransient, parseRetryAfter, retryAfterOf, safeServerText, type ApiFailure } from '../../main/core/index.js';

describe('API failure helpers', () => {
  it('reads Retry-After as seconds or as an HTTP date, and ignores garbage', () => {
    const now = Date.parse('2026-11-28T12:00:00Z');
    expect(parseRetryAfter('30', now)).toBe(30_000);
    expect(parseRetryAfter('Sat, 28 Nov 2026 12:01:00 GMT', now)).toBe(60_000);
    // A date already past, a negative or an unreadable value count as absent.
    expect(parseRetryAfter('Sat, 28 Nov 2026 11:00:00 GMT', now)).toBeNull();
    expect(parseRetryAfter('-5', now)).toBeNull();
    expect(parseRetryAfter('2027', now)).toBe(2027_000);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
    // Both forms are capped at 24 h.
    expect(parseRetryAfter('999999999', now)).toBe(24 * 3600 * 1000);
    expect(parseRetryAfter('Fri, 01 Jan 2100 00:00:00 GMT', now)).toBe(24 * 3600 * 1000);
  });

  it('classifies transient failures', () => {
    const kinds: Array<[ApiFailure, boolean]> = [
      [{ kind: 'rate-limited', retryAfterMs: 1000, message: '' }, true],
      [{ kind: 'server-error', status: 503, retryAfterMs: null, message: '' }, true],
      [{ kind: 'timeout', message: '' }, true],
      [{ kind: 'network', message: '' }, true],
      [{ kind: 'credentials-rejected', code: 'invalid_grant', message: '' }, false],
      [{ kind: 'service-key-rejected', message: '' }, false],
      [{ kind: 'not-found', message: '' }, false],
      [{ kind: 'invalid-request', code: null, message: '' }, false],
      [{ kind: 'forbidden', code: null, message: '' }, false],
      [{ kind: 'unexpected-response', status: 200, message: '' }, false],
    ];
    for (const [failure, transient] of kinds) expect(isTransient(failure)).toBe(transient);
    expect(retryAfterOf(kinds[0]![0])).toBe(1000);
    expect(retryAfterOf(kinds[4]![0])).toBeNull();
  });

  it('makes server text safe to show: no tokens, no control characters, bounded', () => {
    expect(safeServerText('bad token 00D5g000004ABCD!ARQAQK9x8fJ2mV7yYqLkC0jPzQeTn4sWbHdGuRiOa1Xv here')).toBe('bad token [redacted] here');
    expect(safeServerText('line\nbreak\u0007bell')).toBe('line break bell');
    expect(safeServerText('y'.repeat(1000).replace(/y/g, 'y '))?.length).toBeLessThanOrEqual(201);
    expect(safeServerText(42)).toBeNull();
    expect(safeServerText('   ')).toBeNull();
  });
});
