/** The local API's gate: every operation decided once, refused ones say why and never run, the rest parsed in and out. */
import { describe, expect, it } from 'vitest';
import { COMMAND_LINE_ACCESS } from '../../main/local-api/access.js';
import { createLocalApiDispatcher } from '../../main/local-api/dispatcher.js';
import type { LocalApiHandlers } from '../../main/local-api/handlers.js';
import { invokeChannels } from '../../preload/contract.js';
import { commandLineOperations } from '../../shared/local-api-schemas.js';
import { createMemoryLogger } from '../support/memory-logger.js';

const APP_INFO = { name: 'Data2CRM Tray', version: '0.1.0' };

function setup(extra: Partial<LocalApiHandlers> = {}, face: 'app' | 'keeper' = 'app') {
  const calls: string[] = [];
  const record =
    <T>(name: string, value: T) =>
    () => (calls.push(name), value);
  const handlers = {
    'app:get-info': record('app:get-info', APP_INFO),
    'connections:application-key': record('key', { ok: true as const, key: 'the-key-1234' }),
    'app:show-connect': record('show-connect', { ok: true as const }),
    ...extra,
  } as LocalApiHandlers;
  const logger = createMemoryLogger();
  return { dispatcher: createLocalApiDispatcher({ handlers, logger, face }), calls, logger };
}

describe('local API access', () => {
  it('decides every IPC channel and every command-line operation, and gives each refusal a reason', () => {
    expect(Object.keys(COMMAND_LINE_ACCESS).sort()).toEqual([...Object.keys(invokeChannels), ...Object.keys(commandLineOperations)].sort());
    for (const [op, access] of Object.entries(COMMAND_LINE_ACCESS)) {
      if (access.allowed) expect(access.usedBy, op).toMatch(/\w/);
      else expect(access.reason.length, op).toBeGreaterThan(20);
    }
    // What needs the native confirmation or a window stays in the app.
    for (const op of ['settings:update', 'settings:use-local-sandbox', 'account:set-user-key', 'connections:connect', 'connections:update-tokens', 'connections:disconnect', 'orphans:delete', 'app:quit']) expect(COMMAND_LINE_ACCESS[op as keyof typeof COMMAND_LINE_ACCESS].allowed, op).toBe(false);
    expect((COMMAND_LINE_ACCESS['settings:update'] as { reason: string }).reason).toContain('confirmation dialog');
  });
});

describe('local API dispatcher', () => {
  it('runs an allowed operation with the result checked against its schema', async () => {
    const { dispatcher, calls } = setup();
    await expect(dispatcher.dispatch('app:get-info', undefined)).resolves.toEqual({ ok: true, value: APP_INFO });
    await expect(dispatcher.dispatch('connections:application-key', { id: 'abcdefgh-1' })).resolves.toEqual({ ok: true, value: { ok: true, key: 'the-key-1234' } });
    expect(calls).toEqual(['app:get-info', 'key']);
  });

  it('refuses a refused operation with its reason, before parsing or running anything', async () => {
    const ran: string[] = [];
    const { dispatcher } = setup({ 'settings:update': () => (ran.push('update'), { ok: true }) } as Partial<LocalApiHandlers>);
    const answer = await dispatcher.dispatch('settings:update', { endpoints: { data2crmApiBase: 'https://evil.example' } });
    expect(answer).toEqual({ ok: false, error: { code: 'refused', message: (COMMAND_LINE_ACCESS['settings:update'] as { reason: string }).reason } });
    expect(ran).toEqual([]);
  });

  it('takes a connection over the socket on a keeper only; the app says where it takes one instead', async () => {
    const received = { ok: true as const, message: 'Taken.', receipt: 'ABCD1234', id: 'abcdefgh-1', again: false };
    const args = { sealed: 'D2CKEEP1.a.b.c.d', passphrase: 'AAAA-BBBB-CCCC-DDDD-EEEE-FFFF' };
    const ran: string[] = [];
    const handlers = { 'handover:receive': () => (ran.push('receive'), received) } as Partial<LocalApiHandlers>;
    await expect(setup(handlers, 'app').dispatcher.dispatch('handover:receive', args)).resolves.toEqual({ ok: false, error: { code: 'refused', message: expect.stringContaining('in its window') } });
    expect(ran).toEqual([]);
    await expect(setup(handlers, 'keeper').dispatcher.dispatch('handover:receive', args)).resolves.toEqual({ ok: true, value: received });
    // Begin, complete and cancel need no window: both faces serve them.
    for (const op of ['handover:begin', 'handover:complete', 'handover:cancel'] as const) expect(COMMAND_LINE_ACCESS[op]).toMatchObject({ allowed: true });
    expect(COMMAND_LINE_ACCESS['handover:to-file']).toMatchObject({ allowed: false });
  });

  it('refuses unknown operations, including inherited names', async () => {
    const { dispatcher } = setup();
    for (const op of ['nonsense', 'toString', '__proto__', 'constructor']) await expect(dispatcher.dispatch(op, undefined), op).resolves.toMatchObject({ ok: false, error: { code: 'unknown-operation' } });
  });

  it('refuses an invalid argument in the contract’s words without running the handler', async () => {
    const { dispatcher, calls, logger } = setup();
    await expect(dispatcher.dispatch('connections:application-key', { id: '../../etc' })).resolves.toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    await expect(dispatcher.dispatch('app:get-info', { extra: 1 })).resolves.toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    expect(calls).toEqual([]);
    expect(logger.lines.some((l) => l.message === 'local-api: invalid argument refused')).toBe(true);
  });

  it('a result that breaks its schema is a failure, not a leak', async () => {
    const { dispatcher } = setup({ 'app:get-info': () => ({ ...APP_INFO, accessToken: 'secret-token-value' }) } as Partial<LocalApiHandlers>);
    const answer = await dispatcher.dispatch('app:get-info', undefined);
    expect(answer).toEqual({ ok: false, error: { code: 'failed', message: 'The app could not complete this request.' } });
    expect(JSON.stringify(answer)).not.toContain('secret-token-value');
  });
});
