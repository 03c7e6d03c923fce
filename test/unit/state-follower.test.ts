import { describe, expect, it } from 'vitest';
import type { ConnectionView, Snapshot, StateDelta, StateHeader } from '../../preload/contract.js';
import { applyDelta, createStateFollower } from '../../preload/state-follower.js';

const header: StateHeader = { status: 'ok', summary: '2 connections · all healthy', paused: false, storage: { kind: 'keychain', detail: 'Keychain.' }, serviceKeyRejected: false, userKey: { set: true, fingerprint: '…abcd' }, orphans: [] };
const view = (id: string, lastVerifiedAt = 1): ConnectionView => ({ id, label: id, mode: 'external', crmType: 'Salesforce', instanceUrl: 'https://x.my.salesforce.com', orgId: null, username: null, status: 'healthy', statusDetail: null, since: null, lastVerifiedAt, lastRefreshedAt: null, expiresAt: null, nextRunAt: null, lifetimeLine: null, newTokensBy: 'sign-in', applicationKeyFingerprint: null, accessTokenFingerprint: null, hasRefreshToken: true, snoozedUntil: null, busy: false });
const snapshot = (seq: number, connections: ConnectionView[]): Snapshot => ({ ...header, seq, connections });
const delta = (seq: number, change: Partial<StateDelta> = {}): StateDelta => ({ seq, upserts: [], removals: [], ...change });

describe('applyDelta', () => {
  const a = view('conn-aaaa');
  const b = view('conn-bbbb');
  const start = snapshot(4, [a, b]);

  it('replaces only the changed view; the others keep their objects', () => {
    const newer = view('conn-bbbb', 2);
    const next = applyDelta(start, delta(5, { upserts: [newer] }));
    expect(next).not.toBe('refetch');
    const s = next as Snapshot;
    expect(s.connections[0]).toBe(a);
    expect(s.connections[1]).toBe(newer);
    expect(s.seq).toBe(5);
  });

  it('appends new connections, drops removed ones, and takes a changed header', () => {
    const c = view('conn-cccc');
    const s = applyDelta(start, delta(5, { upserts: [c], removals: ['conn-aaaa'], header: { ...header, summary: 'changed' } })) as Snapshot;
    expect(s.connections).toEqual([b, c]);
    expect(s.connections[0]).toBe(b);
    expect(s.summary).toBe('changed');
  });

  it('keeps the same connections array when only the header changed', () => {
    const s = applyDelta(start, delta(5, { header: { ...header, paused: true } })) as Snapshot;
    expect(s.connections).toBe(start.connections);
    expect(s.paused).toBe(true);
  });

  it('ignores a delta the snapshot already includes, and asks for the whole state after a gap', () => {
    expect(applyDelta(start, delta(4, { upserts: [view('conn-zzzz')] }))).toBe(start);
    expect(applyDelta(start, delta(6))).toBe('refetch');
  });

  it('a reset replaces everything', () => {
    const c = view('conn-cccc');
    expect(applyDelta(start, delta(4, { reset: true, header, upserts: [c] }))).toEqual(snapshot(4, [c]));
  });
});

describe('createStateFollower', () => {
  it('holds deltas that arrive while the whole state is fetched, and applies only the newer ones', async () => {
    let answer: (s: Snapshot) => void = () => undefined;
    const shown: Snapshot[] = [];
    const follower = createStateFollower(() => new Promise((resolve) => (answer = resolve)), (s) => shown.push(s));
    follower.start();
    const a = view('conn-aaaa', 1);
    const a2 = view('conn-aaaa', 2);
    follower.receive(delta(3, { upserts: [a] }));
    follower.receive(delta(4, { upserts: [a2] }));
    answer(snapshot(3, [a]));
    await Promise.resolve();
    expect(shown.at(-1)!.connections).toEqual([a2]);
    expect(shown.at(-1)!.seq).toBe(4);
  });

  it('fetches the whole state again when a delta was missed (a window hidden meanwhile)', async () => {
    let fetches = 0;
    const a = view('conn-aaaa', 1);
    const whole = [snapshot(1, [a]), snapshot(7, [view('conn-aaaa', 7)])];
    const shown: Snapshot[] = [];
    const follower = createStateFollower(async () => whole[fetches++]!, (s) => shown.push(s));
    follower.start();
    await Promise.resolve();
    follower.receive(delta(5, { upserts: [view('conn-aaaa', 5)] }));
    await Promise.resolve();
    expect(fetches).toBe(2);
    expect(shown.at(-1)!.seq).toBe(7);
    expect(shown.at(-1)!.connections[0]!.lastVerifiedAt).toBe(7);
  });
});
