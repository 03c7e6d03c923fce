import { describe, expect, it } from 'vitest';
import { buildTrayModel, connectionStateLine, TRAY_CONNECTION_ROWS, trayStateFrom, type TrayConnection, type TrayMenuItem, type TrayState } from '../../main/core/index.js';
import { shortName, TRAY_NAME_CHARS } from '../../main/core/tray-model.js';
import { toMenuTemplate } from '../../main/adapters/tray-menu-template.js';
import { startingTrayModel } from '../../main/core/tray-model.js';

const NOW = Date.parse('2026-11-28T12:00:00Z');
const conn = (over: Partial<TrayConnection>): TrayConnection => ({ id: 'a', label: 'Acme', status: 'healthy', busy: false, lastVerifiedAt: NOW - 4 * 60_000, expiresAt: null, nextRunAt: null, hasApplicationKey: true, ...over });
const state = (over: Partial<TrayState> = {}): TrayState => ({ productName: 'Data2CRM Tray', version: '1.2.3', status: 'ok', summary: '1 connection · all healthy', connections: [conn({})], paused: false, serviceKeyRejected: false, now: NOW, ...over });

const labels = (items: readonly TrayMenuItem[]) => items.map((i) => (i.kind === 'separator' ? '—' : i.label));

describe('tray model', () => {
  it('header, one submenu per connection, then Connect, Pause, Settings and Quit', () => {
    expect(labels(buildTrayModel(state()).items)).toEqual(['1 connection · all healthy', '—', 'Acme — healthy · verified 4 min ago', '—', 'Connect Salesforce org…', 'Pause automatic refresh', 'Settings…', 'Open at login', '—', 'Help', 'About Data2CRM Tray 1.2.3', '—', 'Quit Data2CRM Tray']);
  });

  it('at most TRAY_CONNECTION_ROWS connections, those needing you first, then "N more… → Settings"', () => {
    const many = Array.from({ length: 1000 }, (_, i) => conn({ id: `c${i}`, label: `Org ${i}`, status: i === 700 ? 'needs-reauthorization' : i === 900 ? 'retrying' : 'healthy' }));
    const items = buildTrayModel(state({ connections: many })).items;
    // The native menu counts every item, those of each row's submenu too (the README says 99).
    const native = (list: readonly TrayMenuItem[]): number => list.reduce((n, i) => n + 1 + (i.kind === 'submenu' ? native(i.items) : 0), 0);
    expect(items.length).toBe(25);
    expect(native(items)).toBe(99);
    const rows = items.flatMap((i) => (i.kind === 'submenu' && i.id.startsWith('connection:') ? [i.label] : []));
    expect(rows).toHaveLength(TRAY_CONNECTION_ROWS);
    expect(rows.slice(0, 3)).toEqual(['⚠ Org 700 — needs re-authorization', 'Org 900 — retrying…', 'Org 0 — healthy · verified 4 min ago']);
    const more = items.find((i) => i.kind === 'action' && i.id === 'more');
    expect(more).toMatchObject({ label: `${1000 - TRAY_CONNECTION_ROWS} more… → Settings`, action: { type: 'open-settings' } });
    expect(buildTrayModel(state({ connections: many.slice(0, TRAY_CONNECTION_ROWS) })).items.some((i) => i.kind === 'action' && i.id === 'more')).toBe(false);
  });

  it('a connection handed over to a keeper says so and offers nothing that would renew or end it here', () => {
    const kept = buildTrayModel(state({ connections: [conn({ status: 'needs-reauthorization', keptBy: { keeper: 'keeper-1', pending: false } })] })).items.find((i) => i.kind === 'submenu');
    expect(kept?.label).toBe('Acme — kept by keeper-1');
    const enabled = kept?.kind === 'submenu' ? kept.items.flatMap((i) => (i.kind === 'action' && i.enabled ? [i.label] : [])) : [];
    expect(enabled).toEqual(['Copy application key']);
    const pending = buildTrayModel(state({ connections: [conn({ keptBy: { keeper: 'keeper-1', pending: true } })] })).items.find((i) => i.kind === 'submenu');
    expect(pending?.label).toBe('Acme — handing over to keeper-1 · waiting for its receipt');
    // Under way: the one way back to the dialog that finishes or cancels it.
    const pendingEnabled = pending?.kind === 'submenu' ? pending.items.flatMap((i) => (i.kind === 'action' && i.enabled ? [i.action] : [])) : [];
    expect(pendingEnabled).toContainEqual({ type: 'handover', connectionId: 'a' });
    const stalled = buildTrayModel(state({ connections: [conn({ keptBy: { keeper: 'keeper-1', pending: true, since: NOW - 20 * 60_000, stalled: true } })] })).items.find((i) => i.kind === 'submenu');
    expect(stalled?.label).toMatch(/^⚠ Acme — handing over to keeper-1 since .+ · needs you: finish it with its receipt or cancel it$/);
    expect(connectionStateLine({ ...conn({ busy: true }), keptBy: { keeper: 'k', pending: false } }, NOW, { serviceKeyRejected: true, paused: true })).toBe('kept by k');
  });

  it('each connection offers its actions', () => {
    const sub = buildTrayModel(state()).items.find((i) => i.kind === 'submenu');
    expect(sub?.kind === 'submenu' && labels(sub.items)).toEqual(['Refresh now', 'Re-authorize…', 'Copy application key', 'Open in Salesforce', '—', 'Disconnect…']);
  });

  it('each connection says where its org lives (it follows an instance move), above its actions', () => {
    const at = (host: string) => buildTrayModel(state({ connections: [conn({ instanceHost: host })] })).items.find((i) => i.kind === 'submenu');
    const sub = at('eu50.my.salesforce.com');
    expect(sub?.kind === 'submenu' && labels(sub.items)).toEqual(['Instance: eu50.my.salesforce.com', 'Refresh now', 'Re-authorize…', 'Copy application key', 'Open in Salesforce', '—', 'Disconnect…']);
    expect(sub?.kind === 'submenu' && sub.items[0]).toMatchObject({ enabled: false });
  });

  it.each([
    [conn({}), 'healthy · verified 4 min ago'],
    [conn({ lastVerifiedAt: NOW - 10_000 }), 'healthy · verified just now'],
    [conn({ expiresAt: NOW + 12 * 60_000 }), 'healthy · renews in 12 min'],
    [conn({ expiresAt: NOW + 95 * 60_000, nextRunAt: NOW + 85 * 60_000 }), 'healthy · renews in 1 h 25 min'],
    [conn({ mode: 'manual', expiresAt: NOW + 20 * 60_000 }), 'healthy · token expires in 20 min'],
    [conn({ mode: 'manual', status: 'needs-reauthorization', expiresAt: NOW + 20 * 60_000 }), 'needs new tokens'],
    [conn({ status: 'needs-reauthorization', expiresAt: NOW + 19 * 60_000 }), 'needs re-authorization'],
    [conn({ status: 'refused-for-now', nextRunAt: NOW + 25 * 60_000 }), 'Salesforce refuses for now · retrying in 25 min'],
    [conn({ status: 'needs-reauthorization' }), 'needs re-authorization'],
    [conn({ status: 'application-deleted' }), 'deleted in Data2CRM'],
    [conn({ status: 'retrying' }), 'retrying…'],
    [conn({ status: 'retrying', nextRunAt: NOW + 2 * 60_000 }), 'retrying in 2 min'],
    [conn({ status: 'degraded', nextRunAt: NOW + 20_000 }), 'problem · retrying shortly'],
    [conn({ expiresAt: NOW - 3 * 3600_000 }), 'token expired 3 h ago'],
    [conn({ busy: true }), 'refreshing…'],
  ])('state line for %j is "%s"', (c, line) => {
    expect(connectionStateLine(c, NOW)).toBe(line);
  });

  it('a rejected user key: every row says so, its own icon and tooltip; Refresh now stays enabled, as in the windows (a refresh that gets through clears it)', () => {
    const model = buildTrayModel(state({ status: 'key-rejected', summary: 'Data2CRM rejected the user key · 1 connection not kept alive', serviceKeyRejected: true }));
    expect(model.icon).toBe('key-rejected');
    expect(model.tooltip).toBe('Data2CRM Tray: Data2CRM rejected the user key · 1 connection not kept alive');
    const sub = model.items.find((i) => i.kind === 'submenu');
    expect(sub?.label).toBe('Acme — stopped · Data2CRM rejected the user key');
    const refresh = sub?.kind === 'submenu' ? sub.items.find((i) => i.kind === 'action' && i.id === 'refresh:a') : undefined;
    expect(refresh).toMatchObject({ label: 'Refresh now', enabled: true });
  });

  it('a deleted application: "Register again…" comes first in its row (the dialog that does it)', () => {
    const sub = buildTrayModel(state({ status: 'error', connections: [conn({ status: 'application-deleted' })] })).items.find((i) => i.kind === 'submenu');
    expect(sub?.kind === 'submenu' && sub.items[0]).toEqual({ kind: 'action', id: 'register:a', label: 'Register again…', enabled: true, action: { type: 'register-again', connectionId: 'a' } });
    const healthy = buildTrayModel(state()).items.find((i) => i.kind === 'submenu');
    expect(healthy?.kind === 'submenu' && labels(healthy.items)).not.toContain('Register again…');
  });

  it('a rejected user key: "Replace user key…" right under the header opens Settings → Account', () => {
    const rejected = buildTrayModel(state({ status: 'key-rejected', summary: 'Data2CRM rejected the user key · 1 connection not kept alive', serviceKeyRejected: true })).items;
    expect(rejected[1]).toEqual({ kind: 'action', id: 'replace-key', label: 'Replace user key…', enabled: true, action: { type: 'open-account' } });
    expect(labels(buildTrayModel(state()).items)).not.toContain('Replace user key…');
  });

  it('long names are shortened at a word, so the state stays in view; short ones are whole', () => {
    const long = 'Acme Corporation Europe Middle East and Africa production org (billing)';
    const row = buildTrayModel(state({ connections: [conn({ label: long })] })).items.find((i) => i.kind === 'submenu');
    expect(row?.label).toBe('Acme Corporation Europe Middle East and… — healthy · verified 4 min ago');
    expect(shortName('Acme')).toBe('Acme');
    expect(shortName('x'.repeat(TRAY_NAME_CHARS))).toBe('x'.repeat(TRAY_NAME_CHARS));
    // No word break near the end: cut there (never mid surrogate pair).
    expect(shortName(`${'x'.repeat(38)}🙂🙂🙂`)).toBe(`${'x'.repeat(38)}🙂…`);
    expect(shortName(`Org ${'y'.repeat(60)}`)).toBe(`Org ${'y'.repeat(TRAY_NAME_CHARS - 5)}…`);
    expect([...shortName('z'.repeat(100))].length).toBe(TRAY_NAME_CHARS);
  });

  it('marks connections that need the user and disables what cannot work', () => {
    const model = buildTrayModel(state({ status: 'error', connections: [conn({ status: 'needs-reauthorization', hasApplicationKey: false })] }));
    const sub = model.items.find((i) => i.kind === 'submenu');
    expect(sub?.label).toBe('⚠ Acme — needs re-authorization');
    const enabled = sub?.kind === 'submenu' ? Object.fromEntries(sub.items.flatMap((i) => (i.kind === 'action' ? [[i.label, i.enabled]] : []))) : {};
    expect(enabled).toEqual({ 'Refresh now': false, 'Re-authorize…': true, 'Copy application key': false, 'Open in Salesforce': true, 'Disconnect…': true });
    expect(model.icon).toBe('error');
  });

  it('offers Resume while paused and says so in the header and tooltip', () => {
    const model = buildTrayModel(state({ paused: true }));
    const model2 = buildTrayModel(state({ paused: true, status: 'paused', summary: 'Paused · 1 connection not kept alive' }));
    expect(labels(model2.items)).toContain('Resume automatic refresh');
    expect(model2.icon).toBe('paused');
    expect(model2.items[0]).toEqual({ kind: 'header', label: 'Paused · 1 connection not kept alive' });
    expect(model2.tooltip).toBe('Data2CRM Tray: Paused · 1 connection not kept alive');
    expect(model2.items.find((i) => i.kind === 'submenu')?.label).toBe('Acme — paused · automatic refresh is off');
    expect(model.items.find((i) => i.kind === 'submenu')?.label).toBe('Acme — paused · automatic refresh is off');
  });

  it('pasted-token connections offer "Paste new tokens…"; Pause for 1 hour or until resumed; Open at login shows its state', () => {
    const model = buildTrayModel({ ...state({ connections: [conn({ mode: 'manual' })] }), openAtLogin: true });
    const sub = model.items.find((i) => i.kind === 'submenu' && i.id === 'connection:a');
    expect(sub?.kind === 'submenu' && labels(sub.items)).toContain('Paste new tokens…');
    const pause = model.items.find((i) => 'id' in i && i.id === 'pause');
    expect(pause?.kind === 'submenu' && pause.items.map((i) => i.kind === 'action' && i.action)).toEqual([{ type: 'pause', forMs: 3_600_000 }, { type: 'pause' }]);
    expect(model.items.find((i) => 'id' in i && i.id === 'open-at-login')).toMatchObject({ checked: true, action: { type: 'set-open-at-login', enabled: false } });
    const template = toMenuTemplate(model.items, () => undefined);
    expect(template.find((t) => t.id === 'open-at-login')).toMatchObject({ type: 'checkbox', checked: true });
  });

  it('tokens pasted with their app\'s consumer key (the app renews them) are renewed by pasting when they end: "Paste new tokens…", "needs new tokens"', () => {
    const model = buildTrayModel(state({ connections: [conn({ mode: 'external', newTokensBy: 'paste', status: 'needs-reauthorization' })] }));
    const sub = model.items.find((i) => i.kind === 'submenu' && i.id === 'connection:a');
    expect(sub?.kind === 'submenu' && sub.label).toBe('⚠ Acme — needs new tokens');
    expect(sub?.kind === 'submenu' && labels(sub.items)).toContain('Paste new tokens…');
    expect(sub?.kind === 'submenu' && labels(sub.items)).not.toContain('Re-authorize…');
  });

  it('takes its icon from the aggregate state', () => {
    for (const status of ['ok', 'attention', 'error', 'busy', 'key-rejected', 'paused'] as const) expect(buildTrayModel(state({ status })).icon).toBe(status);
  });

  it('the adapter template nests submenus and calls each action on click', () => {
    const clicked: string[] = [];
    const template = toMenuTemplate(buildTrayModel(state()).items, (action) => clicked.push('connectionId' in action ? `${action.type}:${action.connectionId}` : action.type));
    expect(template[0]).toMatchObject({ label: '1 connection · all healthy', enabled: false });
    const clickAll = (items: typeof template) => {
      for (const item of items) {
        item.click?.(undefined as never, undefined, undefined as never);
        if (Array.isArray(item.submenu)) clickAll(item.submenu);
      }
    };
    clickAll(template);
    expect(clicked).toEqual(['refresh-now:a', 'reauthorize:a', 'copy-application-key:a', 'open-in-salesforce:a', 'disconnect:a', 'connect', 'pause', 'pause', 'open-settings', 'set-open-at-login', 'help', 'about', 'quit']);
    const rejected: string[] = [];
    const fixes = toMenuTemplate(buildTrayModel(state({ serviceKeyRejected: true, connections: [conn({ status: 'application-deleted' })] })).items, (action) => rejected.push('connectionId' in action ? `${action.type}:${action.connectionId}` : action.type));
    fixes.find((t) => t.id === 'replace-key')?.click?.(undefined as never, undefined, undefined as never);
    (fixes.find((t) => Array.isArray(t.submenu))?.submenu as typeof fixes)[0]?.click?.(undefined as never, undefined, undefined as never);
    expect(rejected).toEqual(['open-account', 'register-again:a']);
  });

  it.each(['connecting', 'healthy', 'refreshing', 'retrying', 'needs-reauthorization', 'application-deleted', 'degraded', 'paused', 'disconnecting'] as const)('the adapter builds a complete native menu for a connection that is %s', (status) => {
    const template = toMenuTemplate(buildTrayModel(state({ connections: [conn({ status })] })).items, () => undefined);
    const submenu = template.find((t) => Array.isArray(t.submenu));
    expect(submenu?.label).toBe(`${status === 'needs-reauthorization' || status === 'application-deleted' ? '⚠ ' : ''}Acme — ${connectionStateLine(conn({ status }), NOW)}`);
    expect((submenu?.submenu as unknown[]).length).toBe(status === 'application-deleted' ? 7 : 6);
    const disconnect = (submenu?.submenu as Array<{ label?: string; enabled?: boolean }>).find((i) => i.label === 'Disconnect…');
    expect(disconnect?.enabled).toBe(true);
  });

  it('takes its state from the same snapshot the windows show', () => {
    const view = { id: 'a', label: 'Acme', mode: 'external', crmType: 'Salesforce', instanceUrl: 'https://x.my.salesforce.com', orgId: null, username: null, status: 'retrying', statusDetail: null, since: null, lastVerifiedAt: NOW - 60_000, lastRefreshedAt: null, expiresAt: NOW + 60_000, nextRunAt: null, lifetimeLine: null, newTokensBy: 'sign-in', applicationKeyFingerprint: null, accessTokenFingerprint: null, hasRefreshToken: true, snoozedUntil: null, busy: true } as const;
    const snapshot = { seq: 1, status: 'attention', summary: '1 connection · 1 retrying', paused: true, storage: { kind: 'keychain', detail: '' }, serviceKeyRejected: false, userKey: { set: true, fingerprint: null }, connections: [view], orphans: [] } as const;
    expect(trayStateFrom({ ...snapshot, connections: [...snapshot.connections], orphans: [] }, { productName: 'Data2CRM Tray', version: '1.2.3' }, NOW)).toEqual({
      productName: 'Data2CRM Tray',
      version: '1.2.3',
      status: 'attention',
      summary: '1 connection · 1 retrying',
      paused: true,
      serviceKeyRejected: false,
      now: NOW,
      connections: [{ id: 'a', label: 'Acme', status: 'retrying', mode: 'external', newTokensBy: 'sign-in', busy: true, lastVerifiedAt: NOW - 60_000, expiresAt: NOW + 60_000, nextRunAt: null, hasApplicationKey: false, instanceHost: 'x.my.salesforce.com' }],
    });
  });

  it('a newer version’s database: nothing to connect, pause or resume (nothing could be recorded); Settings, Help and Quit stay', () => {
    const items = labels(buildTrayModel(state({ status: 'error', summary: '1 connection · the state database was made by a newer version of Data2CRM Tray; update the app', stateDatabase: 'newer', paused: true })).items);
    expect(items).not.toContain('Connect Salesforce org…');
    expect(items).not.toContain('Resume automatic refresh');
    expect(items).toEqual(expect.arrayContaining(['Settings…', 'Help', 'Quit Data2CRM Tray']));
    expect(labels(buildTrayModel(state({ stateDatabase: 'full' })).items)).toContain('Connect Salesforce org…');
  });

  it('before the app has started (waiting for the state database): the reason, Help, About and Quit only', () => {
    const model = startingTrayModel({ productName: 'Data2CRM Tray', version: '1.2.3' }, 'Starting: another program is using the state database; retrying');
    expect(model).toMatchObject({ icon: 'attention', tooltip: 'Data2CRM Tray: Starting: another program is using the state database; retrying', nextChangeAt: null });
    expect(labels(model.items)).toEqual(['Starting: another program is using the state database; retrying', '—', 'Help', 'About Data2CRM Tray 1.2.3', '—', 'Quit Data2CRM Tray']);
  });
});

