/** The command line's pure parts: finding a <connection>, durations, the status JSON and table, watch lines. */
import { describe, expect, it } from 'vitest';
import { parseMinutes, minutesWords } from '../../cli/duration.js';
import { CliError } from '../../cli/errors.js';
import { findConnection } from '../../cli/find-connection.js';
import { statusJson, statusText } from '../../cli/status.js';
import { createWatcher, watchText } from '../../cli/watch.js';
import { connectionStatusSchema, type ConnectionView, type Snapshot, type StateHeader } from '../../preload/contract.js';
import { appDataDir, localApiSocketPath } from '../../shared/local-api.js';
import { schemaErrors } from '../support/cli-schemas.js';

const NOW = Date.parse('2026-12-07T10:00:00Z');
const MIN = 60_000;

function view(over: Partial<ConnectionView> & Pick<ConnectionView, 'id' | 'label'>): ConnectionView {
  return {
    mode: 'manual', crmType: 'Salesforce', instanceUrl: 'https://acme.my.salesforce.com', orgId: '00DACME00000001', username: 'jane@acme.example', status: 'healthy', statusDetail: null,
    since: null, lastVerifiedAt: NOW - 4 * MIN, lastRefreshedAt: null, expiresAt: null, nextRunAt: null, lifetimeLine: null, newTokensBy: over.mode === 'manual' || over.mode === undefined ? 'paste' : 'sign-in', applicationKeyFingerprint: '…9f3a', accessTokenFingerprint: '…abcd',
    hasRefreshToken: true, snoozedUntil: null, busy: false, ...over,
  };
}

const header: StateHeader = { status: 'ok', summary: '2 connections · all healthy', paused: false, storage: { kind: 'keychain', detail: '' }, serviceKeyRejected: false, userKey: { set: true, fingerprint: '…1234' }, orphans: [] };
const snapshot = (connections: ConnectionView[], over: Partial<StateHeader> = {}): Snapshot => ({ ...header, ...over, seq: 1, connections });

const acme = view({ id: 'a1b2c3d4-0000-4000-8000-000000000001', label: 'Acme' });
const acmeToo = view({ id: 'a1b2ffff-0000-4000-8000-000000000002', label: 'acme' });
const globex = view({ id: 'c0ffee00-0000-4000-8000-000000000003', label: 'Globex', mode: 'external', username: 'ops@globex.example', orgId: '00DGLX000000002', expiresAt: NOW + 30 * MIN, nextRunAt: NOW + 12 * MIN });

const failure = (fn: () => unknown): CliError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof CliError) return error;
    throw error;
  }
  throw new Error('did not fail');
};

describe('<connection>', () => {
  const all = [acme, acmeToo, globex];
  it('is a name (any case), an id, an org id, a username, or the unique start of an id', () => {
    for (const query of ['Globex', 'globex', ' GLOBEX ', globex.id, '00DGLX000000002', 'OPS@globex.example', 'c0ff', globex.id.slice(0, 8)]) expect(findConnection(all, query).id, query).toBe(globex.id);
    expect(findConnection(all, 'a1b2c').id).toBe(acme.id);
  });

  it('says which connections match when more than one does, and exits 3', () => {
    for (const query of ['ACME', 'a1b2', 'jane@acme.example', '00DACME00000001']) {
      const error = failure(() => findConnection(all, query));
      expect(error.exitCode).toBe(3);
      expect(error.message).toContain(`matches 2 connections: Acme (id a1b2c3d4, jane@acme.example); acme (id a1b2ffff, jane@acme.example)`);
    }
  });

  it('lists the connections there are when none matches', () => {
    const error = failure(() => findConnection(all, 'initech'));
    expect(error.exitCode).toBe(3);
    expect(error.message).toMatch(/^No connection matches “initech”\. Connections: Acme \(id a1b2c3d4, jane@acme\.example\); acme \(.*\); Globex \(id c0ffee00, ops@globex\.example\)\./);
    expect(failure(() => findConnection([], 'x')).message).toContain('There are no connections yet.');
    const many = Array.from({ length: 25 }, (_, i) => view({ id: `0000000${String(i).padStart(2, '0')}-0000-4000-8000-000000000000`, label: `Org ${i}` }));
    expect(failure(() => findConnection(many, 'nope')).message).toContain('and 5 more (see `data2crm-tray status`)');
  });
});

describe('--for', () => {
  it('takes minutes, hours and days, alone or together', () => {
    expect(['1m', '30m', '1h', '1h30m', '2d', ' 1h 15m '].map(parseMinutes)).toEqual([1, 30, 60, 90, 2880, 75]);
    expect([60, 90, 45, 2880, 1501].map(minutesWords)).toEqual(['1 h', '1 h 30 min', '45 min', '2 d', '1 d 1 h 1 min']);
  });
  it('refuses anything else, and more than a week, as a usage error', () => {
    for (const text of ['soon', '1x', '10', '1h and more', '', '0m', '8d']) expect(failure(() => parseMinutes(text)).exitCode, text).toBe(3);
  });
});

describe('status', () => {
  it('words each connection as the tray does, with ISO times, and conforms to the published schema', () => {
    const json = statusJson({ name: 'Data2CRM Tray', version: '0.1.0' }, snapshot([acme, globex]), NOW);
    expect(schemaErrors('status', json)).toEqual([]);
    expect(json.generatedAt).toBe('2026-12-07T10:00:00.000Z');
    expect(json.connections[0]).toMatchObject({ name: 'Acme', stateLine: 'healthy · verified 4 min ago', renewedBy: 'nobody', nextRenewalAt: null, lastVerifiedAt: '2026-12-07T09:56:00.000Z' });
    expect(json.connections[1]).toMatchObject({ name: 'Globex', stateLine: 'healthy · renews in 12 min', renewedBy: 'app', nextRenewalAt: '2026-12-07T10:12:00.000Z', nextCheckAt: '2026-12-07T10:12:00.000Z', expiresAt: '2026-12-07T10:30:00.000Z' });
    expect(json.app).toMatchObject({ needsYou: false, storage: 'keychain' });
  });

  it('every state the app knows, and a connection a keeper keeps, conform to the published schema', () => {
    for (const status of connectionStatusSchema.options) {
      expect(schemaErrors('status', statusJson({ name: 'x', version: '1.0.0' }, snapshot([view({ ...globex, status })]), NOW)), status).toEqual([]);
    }
    const kept = statusJson({ name: 'x', version: '1.0.0' }, snapshot([view({ ...globex, status: 'needs-reauthorization', keptBy: { keeper: 'keeper-1', pending: false } })]), NOW);
    expect(schemaErrors('status', kept)).toEqual([]);
    // The keeper renews it: the app neither plans a renewal nor asks the user about it.
    expect(kept.connections[0]).toMatchObject({ renewedBy: 'keeper', nextRenewalAt: null, needsYou: false, stateLine: 'kept by keeper-1' });
    expect(kept.app.needsYou).toBe(false);
    const handingOver = statusJson({ name: 'x', version: '1.0.0' }, snapshot([view({ ...globex, keptBy: { keeper: 'keeper-1', pending: true } })]), NOW);
    expect(handingOver.connections[0]).toMatchObject({ renewedBy: 'nobody', nextRenewalAt: null });
  });

  it('needs you when a connection needs the user or the user key is rejected', () => {
    expect(statusJson({ name: 'x', version: '1.0.0' }, snapshot([view({ ...acme, status: 'needs-reauthorization' })]), NOW).app.needsYou).toBe(true);
    expect(statusJson({ name: 'x', version: '1.0.0' }, snapshot([view({ ...acme, status: 'retrying' })]), NOW).app.needsYou).toBe(false);
    const rejected = statusJson({ name: 'x', version: '1.0.0' }, snapshot([acme], { serviceKeyRejected: true }), NOW);
    expect(rejected.app.needsYou).toBe(true);
    expect(rejected.connections[0]!.stateLine).toBe('stopped · Data2CRM rejected the user key');
  });

  it('prints a table like sf org list, with the next renewal where the app renews', () => {
    const text = statusText(statusJson({ name: 'Data2CRM Tray', version: '0.1.0' }, snapshot([acme, view({ ...globex, mode: 'internal', expiresAt: null })]), NOW), NOW);
    const lines = text.split('\n');
    expect(lines[0]).toBe('Data2CRM Tray 0.1.0 · 2 connections · all healthy');
    const [head, acmeRow, globexRow] = [lines[2]!, lines[3]!, lines[4]!];
    expect(head.split(/ {2,}/)).toEqual(['NAME', 'MODE', 'USER', 'INSTANCE', 'STATE', 'NEXT RENEWAL']);
    expect(acmeRow.split(/ {2,}|(?<=\S) (?=acme\.my)/)).toEqual(['Acme', 'pasted', 'jane@acme.example', 'acme.my.salesforce.com', 'healthy · verified 4 min ago', '—']);
    expect(globexRow).toMatch(/^Globex +data2crm +ops@globex\.example +acme\.my\.salesforce\.com +healthy · verified 4 min ago +by Data2CRM$/);
    // Columns line up under their headings.
    for (const [heading, cell] of [['MODE', 'pasted'], ['USER', 'jane@'], ['INSTANCE', 'acme.my'], ['STATE', 'healthy'], ['NEXT RENEWAL', '—']] as const) expect(acmeRow.indexOf(cell), heading).toBe(head.indexOf(heading));
    expect(globexRow.indexOf('by Data2CRM')).toBe(head.indexOf('NEXT RENEWAL'));
  });
});

describe('watch', () => {
  const delta = (over: Partial<{ reset: true; header: StateHeader; upserts: ConnectionView[]; removals: string[] }>) => ({ seq: 1, upserts: [], removals: [], ...over });

  it('sets what it compares with from the whole state, then prints one line per change', () => {
    const linesFor = createWatcher();
    expect(linesFor(delta({ reset: true, header, upserts: [acme, globex] }), NOW)).toEqual([]);
    // Times moving on are not changes.
    expect(linesFor(delta({ upserts: [view({ ...acme, lastVerifiedAt: NOW })] }), NOW)).toEqual([]);
    const lines = [
      ...linesFor(delta({ upserts: [view({ ...acme, label: 'Acme EU' })] }), NOW),
      ...linesFor(delta({ upserts: [view({ ...globex, status: 'needs-reauthorization', statusDetail: 'Salesforce ended the sign-in.' })] }), NOW),
      ...linesFor(delta({ header: { ...header, status: 'paused', paused: true } }), NOW),
      ...linesFor(delta({ upserts: [view({ id: 'dddddddd-0000-4000-8000-000000000004', label: 'New' })] }), NOW),
      ...linesFor(delta({ removals: [acme.id] }), NOW),
    ];
    expect(lines.map((l) => [l.type, l.change])).toEqual([['connection', 'renamed'], ['connection', 'state'], ['app', 'state'], ['connection', 'added'], ['connection', 'removed']]);
    for (const line of lines) expect(schemaErrors('watch', line)).toEqual([]);
    expect(lines[1]).toMatchObject({ name: 'Globex', state: 'needs-reauthorization', previousState: 'healthy', needsYou: true, detail: 'Salesforce ended the sign-in.' });
    expect(lines.map(watchText).map((t) => t.slice(10))).toEqual([
      'Acme EU  renamed (was Acme)',
      'Globex  needs re-authorization — Salesforce ended the sign-in.',
      'Data2CRM Tray  paused · automatic refresh is off',
      'New  added · paused · automatic refresh is off',
      'Acme EU  removed',
    ]);
  });

  it('a later whole state (after a gap) says which connections went', () => {
    const linesFor = createWatcher();
    linesFor(delta({ reset: true, header, upserts: [acme, globex] }), NOW);
    expect(linesFor(delta({ reset: true, header, upserts: [globex] }), NOW)).toMatchObject([{ change: 'removed', id: acme.id, name: 'Acme' }]);
  });
});

describe('where the socket is', () => {
  it('is in $XDG_RUNTIME_DIR, else the data folder, and a per-user pipe on Windows; app and command line compute it alike', () => {
    expect(localApiSocketPath({ platform: 'linux', env: { XDG_RUNTIME_DIR: '/run/user/1000/' }, dataDir: '/home/jane/.config/Data2CRM Tray' })).toBe('/run/user/1000/data2crm-tray/local-api.sock');
    expect(localApiSocketPath({ platform: 'linux', env: { XDG_RUNTIME_DIR: 'relative/dir' }, dataDir: '/home/jane/.config/Data2CRM Tray' })).toBe('/home/jane/.config/Data2CRM Tray/run/local-api.sock');
    expect(localApiSocketPath({ platform: 'darwin', env: {}, dataDir: appDataDir('darwin', {}, '/Users/jane') })).toBe('/Users/jane/Library/Application Support/Data2CRM Tray/run/local-api.sock');
    expect(localApiSocketPath({ platform: 'win32', env: { USERNAME: 'Jane Doe' }, dataDir: 'C:\\x' })).toBe('\\\\.\\pipe\\data2crm-tray-Jane_Doe');
    expect(localApiSocketPath({ platform: 'linux', env: {}, dataDir: '/srv/keeper', name: 'keeper' })).toBe('/srv/keeper/run/local-api.sock');
    expect(localApiSocketPath({ platform: 'linux', env: { XDG_RUNTIME_DIR: '/run/user/0' }, dataDir: '/srv/keeper', name: 'data2crm-keeper' })).toBe('/run/user/0/data2crm-keeper/local-api.sock');
  });

  it('finds the app’s data folder where Electron keeps userData', () => {
    expect(appDataDir('linux', {}, '/home/jane')).toBe('/home/jane/.config/Data2CRM Tray');
    expect(appDataDir('linux', { XDG_CONFIG_HOME: '/home/jane/cfg' }, '/home/jane')).toBe('/home/jane/cfg/Data2CRM Tray');
    expect(appDataDir('win32', { APPDATA: 'C:\\Users\\jane\\AppData\\Roaming' }, 'C:\\Users\\jane')).toBe('C:\\Users\\jane\\AppData\\Roaming\\Data2CRM Tray');
  });
});
