/** The sandbox's Data2CRM sign-in page, driven in Chromium: the hash carries the three values. */
import { expect, test, type Page } from '@playwright/test';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { data2crmAuthorizeUrl } from '../../main/core/index.js';
import { SAMPLE_USER, startSandbox, type Sandbox } from '../sandbox/server.js';

let sandbox: Sandbox;
let callback: Server;
let redirect = '';

test.beforeAll(async () => {
  sandbox = await startSandbox();
  callback = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Callback</title><p>Signed in</p>'));
  await new Promise<void>((resolve) => callback.listen(0, '127.0.0.1', resolve));
  redirect = `http://127.0.0.1:${(callback.address() as AddressInfo).port}/callback?state=s1`;
});

test.afterAll(async () => {
  await sandbox.close();
  await new Promise((resolve) => callback.close(resolve));
});

async function signIn(page: Page, button: 'Allow' | 'Deny') {
  await page.goto(data2crmAuthorizeUrl(sandbox.urls.data2crmAuth, redirect));
  await expect(page.getByRole('heading', { name: 'Connect Salesforce to Data2CRM (sandbox)' })).toBeVisible();
  if (button === 'Allow') {
    await page.getByLabel('Username').fill(SAMPLE_USER.username);
    await page.getByLabel('Password').fill(SAMPLE_USER.password);
  }
  await page.getByRole('button', { name: button }).click();
  await page.waitForURL((url) => url.pathname === '/callback' && url.hash.length > 1);
  return new URLSearchParams(new URL(page.url()).hash.slice(1));
}

test('Allow lands on the redirect with instance_url, access_token and refresh_token in the hash', async ({ page }) => {
  const hash = await signIn(page, 'Allow');
  expect(new URL(page.url()).searchParams.get('state')).toBe('s1');
  expect(hash.get('instance_url')).toBe(sandbox.urls.origin);
  expect(sandbox.state.liveAccessToken(hash.get('access_token')!)).not.toBeNull();
  expect(sandbox.state.liveRefreshToken(hash.get('refresh_token')!)).not.toBeNull();
  await expect(page.getByText('Signed in')).toBeVisible();
});

test('Deny lands on the redirect with error=access_denied and no tokens', async ({ page }) => {
  const hash = await signIn(page, 'Deny');
  expect(hash.get('error')).toBe('access_denied');
  expect(hash.get('error_description')).toBe('end-user denied authorization');
  expect(hash.has('access_token')).toBe(false);
});

test('a wrong password stays on the page with an error', async ({ page }) => {
  await page.goto(data2crmAuthorizeUrl(sandbox.urls.data2crmAuth, redirect));
  await page.getByLabel('Username').fill(SAMPLE_USER.username);
  await page.getByLabel('Password').fill('wrong');
  await page.getByRole('button', { name: 'Allow' }).click();
  await expect(page.getByRole('alert')).toHaveText('Please check your username and password.');
  expect(new URL(page.url()).pathname).toBe('/authorization/oauth/Salesforce/authorize');
});
