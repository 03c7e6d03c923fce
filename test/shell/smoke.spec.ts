import { expect, test } from './shell-app.js';

test('smoke', async ({ shell }) => {
  const standIn = await shell.launch();
  console.log(standIn.tray().menu?.items.map((i) => i.label));
  standIn.tray().clickMenuItem('Settings…');
  const { page } = await shell.window('/settings');
  await expect(page.getByTestId('app-version')).toHaveText('0.1.0');
});
