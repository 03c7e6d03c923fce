/**
 * The README's pictures (docs/screenshots), made from the real screens over the whole core. They
 * must not change from run to run: the page's clock is fixed, the times shown are set relative to
 * it, the time zone is UTC, and the instance URL (the sandbox's random port) is replaced by an
 * org's usual address. Every screen is also captured in light and dark by accessibility.spec.ts.
 */
import type { Page } from '@playwright/test';
import { addConnections, manyConnections } from '../support/many-connections.js';
import { SIGN_IN_ENDED_WORDS } from '../support/stored-failure-words.js';
import { connectInternal } from '../support/ui-actions.js';
import { expect, test } from '../support/ui-fixtures.js';

const FIXED_NOW = Date.parse('2026-11-28T09:41:00Z');
const MIN = 60_000;
const DIR = 'docs/screenshots';

test.use({ timezoneId: 'UTC', locale: 'en-US', viewport: { width: 920, height: 680 } });

async function shoot(page: Page, name: string, scheme: 'light' | 'dark') {
  await page.emulateMedia({ colorScheme: scheme });
  await page.screenshot({ path: `${DIR}/${name}-${scheme}.png` });
}

test('the README screenshots: settings, wizard, dialog and attention view, light and dark, the same every run', async ({ page, renderer, app }) => {
  await page.clock.setFixedTime(FIXED_NOW);
  await page.goto(`${renderer.origin}/index.html#/settings`);
  await page.getByRole('button', { name: 'Connect Salesforce org…' }).click();
  await page.getByLabel('Connection name').fill('Acme production');
  await shoot(page, 'connect-wizard', 'light');
  await shoot(page, 'connect-wizard', 'dark');
  // Own app: where it signs in, the callback URL an External Client App lists (with Copy), the setup guide.
  await page.getByRole('radio', { name: /Own connected app/ }).check();
  await page.getByRole('radio', { name: /^Production or Developer Edition/ }).check();
  await page.getByLabel('Consumer key (client id)').fill('3MVG9A2kN3Bn17hs.Example.Consumer.Key');
  const callback = page.getByRole('group', { name: 'Callback URL your app lists' });
  await callback.getByRole('radio', { name: /^App link/ }).check();
  await page.getByText('How to set up your app in Salesforce').click();
  await callback.scrollIntoViewIfNeeded();
  await shoot(page, 'own-app-wizard', 'light');
  await shoot(page, 'own-app-wizard', 'dark');
  await page.getByRole('button', { name: 'Close', exact: true }).click();
  await connectInternal(page, 'Acme production');
  await connectInternal(page, 'Globex sandbox');

  // Times relative to the fixed clock, a usual org address, and one connection that needs you.
  app.core.settings.update((s) => ({
    ...s,
    connections: s.connections.map((c) =>
      c.label === 'Globex sandbox'
        ? { ...c, instanceUrl: 'https://globex--uat.sandbox.my.salesforce.com', crmType: 'SalesforceSandbox' as const, lastVerifiedAt: FIXED_NOW - 3 * 60 * MIN, status: 'needs-reauthorization' as const, statusDetail: SIGN_IN_ENDED_WORDS }
        : { ...c, instanceUrl: 'https://acme.my.salesforce.com', lastVerifiedAt: FIXED_NOW - 4 * MIN },
    ),
  }));
  app.core.app.changed();
  const globex = app.core.settings.get().connections.find((c) => c.label === 'Globex sandbox')!;
  await page.reload();
  await expect(page.getByRole('listitem', { name: 'Acme production' }).getByText('verified 4 min ago', { exact: true })).toBeVisible();
  await expect(page.getByRole('listitem', { name: 'Globex sandbox' }).getByText('Needs you', { exact: true })).toBeVisible();
  // The stored last error as the core words it today, not Salesforce's raw text (issue 25 item 12).
  await expect(page.getByText(SIGN_IN_ENDED_WORDS)).toBeVisible();
  await expect(page.getByText(/expired access\/refresh token/)).toHaveCount(0);
  await shoot(page, 'settings-connections', 'light');
  await shoot(page, 'settings-connections', 'dark');

  for (const [route, name] of [[`#/dialog/${globex.id}`, 'dialog'], ['#/attention', 'attention']] as const) {
    const view = await app.openPage('#/settings');
    await view.clock.setFixedTime(FIXED_NOW);
    await view.setViewportSize({ width: 520, height: 560 });
    await view.goto(`${renderer.origin}/index.html${route}`);
    await expect(view.getByRole('button', { name: 'Re-authorize' })).toBeVisible();
    await expect(view.getByText(/Last verified 3 h ago/)).toBeVisible();
    await shoot(view, name, 'light');
    await shoot(view, name, 'dark');
  }
});

test('the README screenshot of many connections: the compact table, needs-you first, light and dark', async ({ page, renderer, app }) => {
  await page.clock.setFixedTime(FIXED_NOW);
  const orgs = manyConnections(30, { 7: 'needs-reauthorization', 12: 'application-deleted', 20: 'retrying' });
  addConnections(app.core, orgs.map((c, i) => ({ ...c, id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, createdAt: FIXED_NOW - 24 * 60 * MIN, lastVerifiedAt: FIXED_NOW - (i % 9) * MIN })));
  app.core.app.changed();
  await page.goto(`${renderer.origin}/index.html#/settings`);
  await expect(page.getByRole('table', { name: /^Connections/ })).toBeVisible();
  await shoot(page, 'connections-table', 'light');
  await shoot(page, 'connections-table', 'dark');
});
