import { expect, test, TEST_APP_INFO } from '../support/ui-fixtures.js';

test('the settings window shows the app version fetched over the IPC bridge', async ({ page, renderer, app }) => {
  await page.goto(`${renderer.origin}/index.html#/settings`);
  await expect(page.getByTestId('app-version')).toHaveText(TEST_APP_INFO.version);
  expect(app.responses).toContainEqual({ ok: true, value: TEST_APP_INFO });
});

test('a status pushed by main updates the window live', async ({ page, renderer, app }) => {
  await page.goto(`${renderer.origin}/index.html#/settings`);
  await expect(page.getByRole('status').first()).toHaveText('No connections yet');
  await app.emit('app:status', { status: 'attention', summary: 'ignored by the settings window' });
  const { connections, seq, ...header } = app.core.app.snapshot();
  void connections;
  // A delta that changes only the header: the window applies it on top of what it holds.
  await app.emit('state:changed', { seq: seq + 1, header: { ...header, summary: '1 connection · 1 retrying' }, upserts: [], removals: [] });
  await expect(page.getByText('1 connection · 1 retrying')).toBeVisible();
});

test('the same page served from a foreign origin is refused by main and says so', async ({ page, renderer, app }) => {
  // localhost is a different origin from 127.0.0.1: the sender check must refuse it.
  await page.goto(`${renderer.origin.replace('127.0.0.1', 'localhost')}/index.html#/settings`);
  await expect(page.getByRole('alert').first()).toContainText('This window may not call the app.');
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
