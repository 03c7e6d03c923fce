/** The tray over time (the app's clock is a fake the test moves): live relative times, one timer, the 1-hour pause. */
import { SCENARIOS } from '../support/app-scenarios.js';
import { createFakeClock } from '../support/fake-clock.js';
import { callApi, connectWithTokens, expect, test } from './shell-app.js';

const MIN = 60_000;
const HOUR = 60 * MIN;

test(SCENARIOS.trayTimesLive, async ({ shell }) => {
  // On a minute mark: the tray's times change together on the marks.
  const clock = createFakeClock(Math.ceil(Date.now() / MIN) * MIN);
  const standIn = await shell.launch({ clock });
  const tray = () => standIn.tray();
  const row = () => tray().menu!.items.find((i) => /^Acme —/.test(i.label))?.label;
  // Nothing connected: no label carries a time, so nothing at all is armed on the clock.
  expect(clock.pendingTimers()).toBe(0);
  const { page } = await shell.window('/settings');
  await shell.saveUserKey(page);
  await connectWithTokens(shell, page, 'Acme');
  // Pasted tokens without a refresh token: the line counts down to their expiry.
  await expect.poll(row).toMatch(/^Acme — healthy · (verified just now|renews in \d+ min|token expires in \d+ h( \d+ min)?)$/);
  const first = row();
  const menusSet = tray().menusSet;
  // A minute on (the next mark), the label reads a minute later, from the tray's one timer (no other change happened).
  clock.advance(MIN);
  await expect.poll(row).not.toBe(first);
  expect(row()).toMatch(/^Acme — healthy · (verified 1 min ago|renews in \d+ min|token expires in \d+ h( \d+ min)?)$/);
  expect(tray().menusSet).toBe(menusSet + 1);

  // Paused: no row shows a time; the tray arms nothing, and an hour passes without a rebuild.
  tray().clickMenuItem('Pause automatic refresh', 'Until I resume');
  await expect.poll(row).toBe('Acme — paused · automatic refresh is off');
  await expect.poll(() => callApi<{ paused: boolean }>(page, 'getState').then((s) => s.paused)).toBe(true);
  const pausedMenus = tray().menusSet;
  expect(clock.pendingTimers()).toBe(0);
  clock.advance(HOUR);
  expect(tray().menusSet).toBe(pausedMenus);
});

test(SCENARIOS.pauseHourResumes, async ({ shell }) => {
  const clock = createFakeClock(Date.now());
  const standIn = await shell.launch({ clock });
  const { page } = await shell.window('/settings');
  await shell.saveUserKey(page);
  await connectWithTokens(shell, page, 'Acme');
  await expect.poll(() => standIn.tray().image.path).toMatch(/ok\.png$/);
  const pausedAt = clock.now();
  standIn.tray().clickMenuItem('Pause automatic refresh', 'For 1 hour');
  await expect.poll(() => standIn.tray().image.path).toMatch(/paused\.png$/);
  expect(standIn.tray().menu!.find(/^Acme —/).label).toBe('Acme — paused · automatic refresh is off');
  // It says until when: the tray's header and tooltip and the window's header (the same words).
  const until = new Date(pausedAt + HOUR).toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit' });
  expect(standIn.tray().tooltip).toBe(`Data2CRM Tray: Paused until ${until} · 1 connection not kept alive`);
  await expect(page.getByRole('status').filter({ hasText: `Paused until ${until}` })).toBeVisible();
  // A minute short of the hour it is still paused; on the hour it resumes by itself.
  clock.advance(HOUR - MIN);
  expect(await callApi<{ paused: boolean }>(page, 'getState').then((s) => s.paused)).toBe(true);
  expect(standIn.tray().image.path).toMatch(/paused\.png$/);
  clock.advance(MIN);
  await expect.poll(() => callApi<{ paused: boolean }>(page, 'getState').then((s) => s.paused)).toBe(false);
  await expect.poll(() => standIn.tray().image.path).toMatch(/(ok|busy)\.png$/);
  expect(standIn.tray().menu!.find('Pause automatic refresh').enabled).toBe(true);
  await expect.poll(() => standIn.tray().menu!.find(/^Acme —/).label).toMatch(/^Acme — (healthy|refreshing)/);
});

test(SCENARIOS.groupedNotificationClick, async ({ shell }) => {
  const standIn = await shell.launch();
  const { page, window: settings } = await shell.window('/settings');
  await shell.saveUserKey(page);
  await connectWithTokens(shell, page, 'Acme');
  await connectWithTokens(shell, page, 'Globex');
  settings.close();
  // Both lose their tokens in one go: one notification names them together.
  for (const application of shell.sandbox.state.applications.values()) shell.sandbox.control.revokeRefreshToken(application.credentials['refresh_token']!);
  shell.sandbox.control.expireAccessTokens();
  standIn.tray().clickMenuItem(/^Acme —/, 'Refresh now');
  standIn.tray().clickMenuItem(/^Globex —/, 'Refresh now');
  await expect.poll(() => standIn.notifications.filter((n) => n.shown).length, { timeout: 15_000 }).toBe(1);
  expect(standIn.notifications[0]!.options).toMatchObject({ title: '2 connections need attention' });
  standIn.notifications[0]!.click();
  const { page: attention } = await shell.window('/attention');
  await expect(attention.getByRole('heading', { level: 1 })).toHaveText('2 connections need attention');
  await expect(attention.getByRole('heading', { level: 2, name: /^Acme/ })).toBeVisible();
  await expect(attention.getByRole('heading', { level: 2, name: /^Globex/ })).toBeVisible();
  expect(standIn.windows.filter((w) => w.isVisible() && /#\/dialog\//.test(w.webContents.getURL()))).toHaveLength(0);
});
