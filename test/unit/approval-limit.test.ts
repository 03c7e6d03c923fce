import { describe, expect, it } from 'vitest';
import { atRiskBeforeSignIn, endedByNewApproval } from '../../main/core/connections/approval-limit.js';
import type { ConnectionRecord } from '../../main/core/settings/schema.js';

const record = (n: number, over: Partial<ConnectionRecord> = {}) => ({ id: `conn-000${n}`, label: `Acme ${n}`, mode: 'internal', connectedApp: null, userId: 'U1', orgId: 'O1', createdAt: n, disconnect: null, ...over }) as ConnectionRecord;
const external = (n: number, clientId: string, over: Partial<ConnectionRecord> = {}) => record(n, { mode: 'external', connectedApp: { clientId, callbackPort: 1717 }, ...over });

describe('five approvals per user per connected app', () => {
  it('a sixth sign-in of the same user through the same app ends the oldest', () => {
    const five = [3, 1, 5, 2, 4].map((n) => record(n));
    const sixth = record(6);
    expect(endedByNewApproval([...five, sixth], sixth).map((c) => c.label)).toEqual(['Acme 1']);
    expect(endedByNewApproval([...five.slice(1), sixth], sixth)).toEqual([]);
    expect(atRiskBeforeSignIn(five, { mode: 'internal', connectedApp: null }).map((c) => c.label)).toEqual(['Acme 1']);
  });

  it('counts per app, per user and org; pasted tokens and disconnecting connections are not approvals of ours', () => {
    const mixed = [external(1, 'A'), external(2, 'A'), external(3, 'B'), external(4, 'A'), external(5, 'A'), record(6, { mode: 'manual' }), external(7, 'A', { userId: 'U2' }), external(8, 'A', { disconnect: { applicationDeleted: true, tokenRevoked: false } })];
    expect(atRiskBeforeSignIn(mixed, { mode: 'external', connectedApp: { clientId: 'A', callbackPort: 1717 } })).toEqual([]);
    const withFifth = [...mixed, external(9, 'A')];
    expect(atRiskBeforeSignIn(withFifth, { mode: 'external', connectedApp: { clientId: 'A', callbackPort: 1717 } }).map((c) => c.label)).toEqual(['Acme 1']);
    expect(atRiskBeforeSignIn(withFifth, { mode: 'internal', connectedApp: null })).toEqual([]);
    expect(atRiskBeforeSignIn(withFifth, { mode: 'manual', connectedApp: null })).toEqual([]);
  });
});
