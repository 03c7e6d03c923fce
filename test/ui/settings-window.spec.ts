import { expect, test, TEST_APP_INFO } from '../support/ui-fixtures.js';

test('the settings window shows the app version fetched over the IPC bridge', async ({ page, renderer, app }) => {
  await page.goto(`${renderer.origin}/index.html#/settings`);
  await expect(page.getByTestId('app-version')).toHaveText(TEST_APP_INFO.version);
  await expect(page.getByRole('heading', { name: 'About' })).toBeVisible();
  expect(app.responses).toContainEqual({ ok: true, value: TEST_APP_INFO });
});

test('a status event pushed by main updates the window live', async ({ page, renderer, app }) => {
  await page.goto(`${renderer.origin}/index.html#/settings`);
  await expect(page.getByTestId('app-version')).toBeVisible();
  app.events.publish('app:status', { status: 'attention', summary: '1 connection needs you' });
  await expect(page.getByRole('status')).toHaveText('1 connection needs you');
});

test('the same page served from a foreign origin is refused by main and says so', async ({ page, renderer, app }) => {
  // localhost is a different origin from 127.0.0.1: the sender check must refuse it.
  await page.goto(`${renderer.origin.replace('127.0.0.1', 'localhost')}/index.html#/settings`);
  await expect(page.getByRole('alert')).toContainText('This window may not call the app.');
  expect(app.responses).toContainEqual(expect.objectContaining({ ok: false, error: expect.objectContaining({ code: 'forbidden-sender' }) }));
});

test('the renderer runs under its strict CSP with no inline script allowed', async ({ page, renderer, app }) => {
  void app;
  const violations: string[] = [];
  page.on('console', (msg) => {
    if (msg.text().includes('Content Security Policy')) violations.push(msg.text());
  });
  await page.goto(`${renderer.origin}/index.html#/settings`);
  await expect(page.getByTestId('app-version')).toBeVisible();
  const inlineRan = await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__inline = 1';
    document.body.append(s);
    return (window as unknown as { __inline?: number }).__inline === 1;
  });
  expect(inlineRan).toBe(false);
  expect(violations.length).toBeGreaterThan(0);
});
