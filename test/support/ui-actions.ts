/** What a person does in the settings window, shared by the UI specs. */
import { expect, type Page } from '@playwright/test';

/** Connect Salesforce org… → Data2CRM sign-in (the wizard's default; the sandbox approves) → the row appears. */
export async function connectInternal(page: Page, label: string): Promise<void> {
  await page.getByRole('button', { name: 'Connect Salesforce org…' }).click();
  await page.getByLabel('Connection name').fill(label);
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(page.getByRole('heading', { name: label })).toBeVisible({ timeout: 20_000 });
}
