import { describe, expect, it } from 'vitest';
import { summarize, type ConnectionStatus } from '../../main/core/index.js';

const c = (...statuses: ConnectionStatus[]) => statuses.map((status) => ({ status }));
const keychain = { kind: 'keychain' } as const;

describe('app summary (tray header and icon)', () => {
  it.each([
    [c(), keychain, 'ok', 'No connections yet'],
    [c('healthy', 'healthy', 'healthy'), keychain, 'ok', '3 connections · all healthy'],
    [c('healthy', 'needs-reauthorization'), keychain, 'error', '2 connections · 1 needs you'],
    [c('needs-reauthorization', 'application-deleted'), keychain, 'error', '2 connections · 2 need you'],
    [c('healthy', 'retrying'), keychain, 'attention', '2 connections · 1 retrying'],
    [c('refreshing'), keychain, 'busy', '1 connection · working…'],
    [c('healthy'), { kind: 'session-only', reason: 'x' }, 'attention', '1 connection · storage degraded (tokens kept for this session only)'],
    [c('needs-reauthorization'), { kind: 'session-only', reason: 'x' }, 'error', '1 connection · 1 needs you · storage degraded'],
  ] as const)('%j with %j → %s "%s"', (connections, storage, status, summary) => {
    expect(summarize(connections, storage)).toEqual({ status, summary });
  });

  it('paused has its own icon and words; what needs the user still outranks it', () => {
    expect(summarize(c('healthy', 'retrying'), keychain, { paused: true })).toEqual({ status: 'paused', summary: 'Paused · 2 connections not kept alive' });
    expect(summarize(c('healthy', 'needs-reauthorization'), keychain, { paused: true }).status).toBe('error');
    expect(summarize(c(), keychain, { paused: true })).toEqual({ status: 'ok', summary: 'No connections yet' });
  });

  it('a timed pause says until when, as the system says a time', () => {
    const until = Date.parse('2026-11-28T10:41:00Z');
    const time = new Date(until).toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit' });
    expect(time).toMatch(/41/);
    expect(summarize(c('healthy'), keychain, { paused: true, pausedUntil: until })).toEqual({ status: 'paused', summary: `Paused until ${time} · 1 connection not kept alive` });
    expect(summarize(c('healthy'), keychain, { paused: true, pausedUntil: null }).summary).toBe('Paused · 1 connection not kept alive');
  });

  it('a rejected user key outranks every connection state', () => {
    expect(summarize(c('healthy', 'needs-reauthorization'), keychain, { serviceKeyRejected: true })).toEqual({ status: 'key-rejected', summary: 'Data2CRM rejected the user key · 2 connections not kept alive' });
  });

  it('an unlisted keychain is a storage problem below the global states and what needs the user', () => {
    expect(summarize(c('healthy'), keychain, { keychainUnlisted: true })).toEqual({ status: 'attention', summary: '1 connection · storage degraded (the keychain could not be read)' });
    expect(summarize(c('healthy'), keychain, { keychainUnlisted: true, serviceKeyRejected: true }).status).toBe('key-rejected');
    expect(summarize(c('healthy'), keychain, { keychainUnlisted: true, paused: true }).status).toBe('paused');
    expect(summarize(c('needs-reauthorization'), keychain, { keychainUnlisted: true }).status).toBe('error');
  });

  it('while the keychain is still listed at startup the tray says so, below what needs the user', () => {
    expect(summarize(c('healthy'), keychain, { keychainLoading: true })).toEqual({ status: 'busy', summary: '1 connection · reading the keychain…' });
    expect(summarize([], keychain, { keychainLoading: true }).summary).toBe('No connections · reading the keychain…');
    expect(summarize(c('needs-reauthorization'), keychain, { keychainLoading: true }).status).toBe('error');
  });

  it('keychain entries without a connection are named once all else is well', () => {
    expect(summarize(c(), keychain, { orphans: 2 })).toEqual({ status: 'attention', summary: 'No connections yet · 2 found in the keychain (see Settings → Connections)' });
    expect(summarize(c('healthy', 'retrying'), keychain, { orphans: 1 })).toEqual({ status: 'attention', summary: '2 connections · 1 retrying' });
  });

  it('the state database: a newer version’s outranks everything; a full or read-only disk or damage outranks each connection; another program’s lock comes after what needs you', () => {
    expect(summarize(c('healthy'), keychain, { stateDatabase: 'newer', serviceKeyRejected: true })).toEqual({ status: 'error', summary: '1 connection · the state database was made by a newer version of Data2CRM Tray; update the app' });
    expect(summarize(c('healthy', 'needs-reauthorization'), keychain, { stateDatabase: 'full' })).toEqual({ status: 'error', summary: '2 connections · the disk is full, so changes are not saved; retrying' });
    expect(summarize(c(), keychain, { stateDatabase: 'read-only' })).toEqual({ status: 'error', summary: 'No connections · the disk is read-only, so changes are not saved; retrying' });
    expect(summarize(c('healthy'), keychain, { stateDatabase: 'corrupt' }).summary).toBe('1 connection · SQLite reports the state database damaged, so changes are not saved; restart the app to check it');
    expect(summarize(c('healthy'), keychain, { stateDatabase: 'locked' })).toEqual({ status: 'attention', summary: '1 connection · another program is using the state database; retrying' });
    expect(summarize(c('healthy', 'needs-reauthorization'), keychain, { stateDatabase: 'locked' })).toEqual({ status: 'error', summary: '2 connections · 1 needs you' });
    expect(summarize(c('healthy'), keychain, { stateDatabase: 'locked', serviceKeyRejected: true }).status).toBe('key-rejected');
    // None of them blames the settings file.
    for (const problem of ['locked', 'corrupt', 'newer', 'full', 'read-only', 'other'] as const) expect(summarize(c('healthy'), keychain, { stateDatabase: problem }).summary).not.toContain('settings');
  });
});
