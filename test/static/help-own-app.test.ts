/**
 * The user help page's "Your own Salesforce app" (resources/help/, shipped with the app) says what
 * the app does: the exact callback URLs it sends and the settings the wizard's guide names. If the
 * callbacks or the guide change, the page must change with them.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CALLBACK_NAMES, callbackUrlOf, DEFAULT_CALLBACK_PORT } from '../../shared/callback-urls.js';

const page = readFileSync('resources/help/own-salesforce-app.html', 'utf8');
const guide = readFileSync('renderer/src/settings/app-setup-guide.tsx', 'utf8');
/** The Salesforce settings the wizard's guide names (in <strong>), which the help page must name too. */
const guideSettings = [...guide.matchAll(/<strong>([^<]+)<\/strong>/g)].map((m) => m[1]!.replace(/&apos;/g, "'"));

describe('help: your own Salesforce app', () => {
  it('names every callback the app can send, exactly, with the wizard’s name for it', () => {
    for (const kind of ['loopback', 'custom-scheme', 'https'] as const) {
      expect(page).toContain(callbackUrlOf(kind, DEFAULT_CALLBACK_PORT));
      expect(page).toContain(CALLBACK_NAMES[kind]);
    }
  });

  it('names every Salesforce setting the wizard’s guide names (the check reads the guide)', () => {
    expect(guideSettings.length).toBeGreaterThan(8);
    for (const setting of guideSettings) expect(page, setting).toContain(setting);
  });

  it('is a page the app can ship: no script, no remote content', () => {
    expect(page).not.toMatch(/<script|src=|href="http/i);
    expect(page).toContain("default-src 'none'");
  });
});
