/** The state line without the state's word, for windows that show the state as a badge beside it (#25 item 8). */
import { describe, expect, it } from 'vitest';
import { connectionStateDetail, connectionStateLine, type StateLineInput } from '../../shared/state-words.js';

const MIN = 60_000;
const NOW = Date.parse('2026-11-28T12:00:00Z');
const c = (over: Partial<StateLineInput>): StateLineInput => ({ status: 'healthy', busy: false, lastVerifiedAt: NOW - 4 * MIN, expiresAt: null, nextRunAt: null, ...over });

describe('state detail', () => {
  it.each([
    ['verified', c({}), {}, 'healthy · verified 4 min ago', 'verified 4 min ago'],
    ['renews', c({ expiresAt: NOW + 12 * MIN }), {}, 'healthy · renews in 12 min', 'renews in 12 min'],
    ['pasted token expires', c({ mode: 'manual', expiresAt: NOW + 20 * MIN }), {}, 'healthy · token expires in 20 min', 'token expires in 20 min'],
    ['token expired', c({ expiresAt: NOW - 3 * MIN }), {}, 'token expired 3 min ago', 'token expired 3 min ago'],
    ['retrying, next try planned', c({ status: 'retrying', nextRunAt: NOW + 2 * MIN }), {}, 'retrying in 2 min', 'next try in 2 min'],
    ['retrying, nothing planned', c({ status: 'retrying' }), {}, 'retrying…', ''],
    ['problem', c({ status: 'degraded', nextRunAt: NOW + 20_000 }), {}, 'problem · retrying shortly', 'next try shortly'],
    ['needs re-authorization', c({ status: 'needs-reauthorization' }), {}, 'needs re-authorization', ''],
    ['needs new tokens', c({ status: 'needs-reauthorization', mode: 'manual' }), {}, 'needs new tokens', ''],
    ['deleted in Data2CRM', c({ status: 'application-deleted' }), {}, 'deleted in Data2CRM', ''],
    ['paused by the user', c({}), { paused: true }, 'paused · automatic refresh is off', 'automatic refresh is off'],
    ['user key rejected', c({}), { serviceKeyRejected: true }, 'stopped · Data2CRM rejected the user key', ''],
    ['refreshing', c({ busy: true }), {}, 'refreshing…', 'refreshing…'],
  ] as const)('%s: the tray says "%s", a card beside its badge says only what the badge does not', (_, input, context, line, detail) => {
    expect(connectionStateLine(input, NOW, context)).toBe(line);
    expect(connectionStateDetail(input, NOW, context)).toBe(detail);
  });

  it('never repeats the word a badge shows', () => {
    const badgeWords = /\b(healthy|retrying|needs|deleted|paused|stopped|problem)\b/i;
    for (const status of ['healthy', 'retrying', 'degraded', 'needs-reauthorization', 'application-deleted', 'paused', 'connecting', 'refreshing', 'disconnecting'] as const)
      for (const context of [{}, { paused: true }, { serviceKeyRejected: true }])
        for (const times of [{}, { expiresAt: NOW + 5 * MIN }, { nextRunAt: NOW + MIN }, { lastVerifiedAt: null }]) expect(connectionStateDetail(c({ status, ...times }), NOW, context)).not.toMatch(badgeWords);
  });
});
