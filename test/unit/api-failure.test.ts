import { describe, expect, it } from 'vitest';
import { isTransient, parseRetryAfter, retryAfterOf, safeServerText, type ApiFailure } from '../../main/core/index.js';
import { showable } from '../../main/core/http/api-failure.js';
import { identitySchema } from '../../main/core/salesforce/types.js';

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

  it('strips bidirectional controls from server text and from names a server gives (#22 item 11)', () => {
    expect(safeServerText('Update at \u202Egro.elcaro\u202C now \u2067x\u2069 \u200Fy\u061C\u202A\u202B\u202D\u2066\u2068')).toBe('Update at gro.elcaro now x y');
    expect(showable('\u202Eadmin@acme.example\u202C')).toBe('admin@acme.example');
    expect(identitySchema.parse({ user_id: '005SBX000000001AAA', organization_id: '00DSBX000000001', username: 'jane\u2066@acme\u2069.example', display_name: '\u202EJane' })).toMatchObject({ username: 'jane@acme.example', display_name: 'Jane' });
    expect(identitySchema.safeParse({ user_id: '005 x', organization_id: '00D', username: 'a' }).success).toBe(false);
    expect(identitySchema.safeParse({ user_id: '005SBX000000001AAA', organization_id: '00DSBX000000001', username: 'u'.repeat(301) }).success).toBe(false);
  });
});
