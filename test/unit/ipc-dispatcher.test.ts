import { describe, expect, it } from 'vitest';
import { createIpcDispatcher, createSenderCheck, type IpcHandlers } from '../../main/ipc/index.js';
import { createMemoryLogger } from '../support/memory-logger.js';

const ORIGIN = 'app://renderer';
const trusted = { url: `${ORIGIN}/index.html#/settings`, isMainFrame: true };
const appInfo = { name: 'Data2CRM Tray', version: '0.1.0' };

function setup(handlers: Partial<IpcHandlers> = { 'app:get-info': () => appInfo }) {
  const logger = createMemoryLogger();
  const dispatcher = createIpcDispatcher({ handlers, isTrustedSender: createSenderCheck([ORIGIN]), logger });
  return { dispatcher, logger };
}

describe('IPC dispatcher', () => {
  it('answers a valid call from our window with the contract result', async () => {
    const { dispatcher } = setup();
    await expect(dispatcher.dispatch('app:get-info', trusted, undefined)).resolves.toEqual({ ok: true, value: appInfo });
  });

  it('rejects an invalid payload without calling the handler', async () => {
    let calls = 0;
    const { dispatcher, logger } = setup({ 'app:get-info': () => (calls++, appInfo) });
    const result = await dispatcher.dispatch('app:get-info', trusted, { sneaky: 'x' });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    expect(calls).toBe(0);
    expect(logger.lines.some((l) => l.message.includes('invalid argument'))).toBe(true);
  });

  it.each([
    ['another origin', { url: 'https://evil.example/index.html', isMainFrame: true }],
    ['a look-alike origin', { url: 'app://renderer.evil/index.html', isMainFrame: true }],
    ['an iframe of our origin', { url: `${ORIGIN}/index.html`, isMainFrame: false }],
    ['file://', { url: 'file:///etc/passwd', isMainFrame: true }],
    ['an empty URL', { url: '', isMainFrame: true }],
  ])('rejects a call from %s', async (_name, sender) => {
    let calls = 0;
    const { dispatcher } = setup({ 'app:get-info': () => (calls++, appInfo) });
    const result = await dispatcher.dispatch('app:get-info', sender, undefined);
    expect(result).toMatchObject({ ok: false, error: { code: 'forbidden-sender' } });
    expect(calls).toBe(0);
  });

  it('rejects unknown and prototype channel names', async () => {
    const { dispatcher } = setup();
    for (const channel of ['app:steal-tokens', '__proto__', 'constructor', 42]) {
      await expect(dispatcher.dispatch(channel, trusted, undefined)).resolves.toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
    }
  });

  it('refuses to return a result the contract does not describe (a handler cannot leak extra fields)', async () => {
    const leaky = { 'app:get-info': () => ({ ...appInfo, accessToken: '00Dxx0000001gPL!AR8AQJXg5oj8jXSgxJfA0lBog' }) } as unknown as Partial<IpcHandlers>;
    const { dispatcher, logger } = setup(leaky);
    const result = await dispatcher.dispatch('app:get-info', trusted, undefined);
    expect(result).toMatchObject({ ok: false, error: { code: 'failed' } });
    expect(JSON.stringify(result) + JSON.stringify(logger.lines)).not.toContain('AR8AQJXg5oj8');
  });

  it('refuses arguments that are not plain data: a Date, Map, Set, typed array or class instance is no empty patch (#22 item 8)', async () => {
    let calls = 0;
    const { dispatcher } = setup({ 'settings:update': () => (calls++, { ok: true, message: 'Saved.' }), 'connections:snooze': () => (calls++, { ok: true }) });
    class Patch {
      general = { notifications: false };
    }
    for (const value of [new Date(), new Map([['general', {}]]), new Set(), new Uint8Array(4), new Patch(), { general: new Date() }, { endpoints: Object.create({ data2crmApiBase: 'https://x.example' }) as object }, Object.assign(Object.create(null) as object, { general: { extra: [[[[[[1]]]]]] } })]) {
      expect(await dispatcher.dispatch('settings:update', trusted, value)).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    }
    expect(await dispatcher.dispatch('connections:snooze', trusted, { id: new String('0000aaaa-0000') })).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    expect(calls).toBe(0);
    // A plain object made without a prototype is plain data.
    expect(await dispatcher.dispatch('settings:update', trusted, Object.assign(Object.create(null) as object, { general: { notifications: false } }))).toEqual({ ok: true, value: { ok: true, message: 'Saved.' } });
  });

  it('bounds every string argument: a 50 MB address is refused before the core sees it (#22 item 8)', async () => {
    let calls = 0;
    const { dispatcher } = setup({ 'settings:update': () => (calls++, { ok: true }), 'settings:use-local-sandbox': () => (calls++, { ok: true }) });
    const huge = `https://${'a'.repeat(50 * 1024 * 1024)}.example`;
    expect(await dispatcher.dispatch('settings:update', trusted, { endpoints: { data2crmApiBase: huge } })).toEqual({ ok: false, error: { code: 'invalid-argument', message: 'That is longer than any address (300 characters at most): check what was pasted.' } });
    expect(await dispatcher.dispatch('settings:use-local-sandbox', trusted, { address: huge })).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    expect(calls).toBe(0);
  });
});
