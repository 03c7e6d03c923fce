/**
 * The user's help page (tray → Help): shipped outside the asar archive (the system's browser opens
 * it), self-contained (nothing loaded, no script), and it explains every state a connection's
 * badge can show and every way to connect, with the section the connect wizard's own-app help fills.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { CALLBACK_KINDS, callbackUrlOf, DEFAULT_CALLBACK_PORT } from '../../shared/callback-urls.js';

const PAGE = 'resources/help/index.html';
const html = readFileSync(PAGE, 'utf8');
const text = html.replace(/<[^>]+>/g, ' ').replace(/&[a-z]+;/g, ' ').replace(/\s+/g, ' ');

describe('help page', () => {
  it('ships as an extra resource, beside the app (not inside the asar)', () => {
    const config = parse(readFileSync('electron-builder.yml', 'utf8')) as { extraResources: Array<{ from: string; to: string }> };
    expect(config.extraResources).toContainEqual({ from: 'resources/help', to: 'help' });
    expect(existsSync(PAGE)).toBe(true);
    expect(readFileSync('main/index.ts', 'utf8')).toContain("join(process.resourcesPath, 'help', 'index.html')");
  });

  it('loads nothing and runs nothing: a strict CSP, no script, no remote address', () => {
    expect(html).toMatch(/Content-Security-Policy" content="default-src 'none'/);
    expect(html).not.toMatch(/<script|<link|<img|<iframe/i);
    expect(html).not.toMatch(/(?:src|href)="(?:https?:)?\/\//i);
  });

  it('every link inside it points at a section that exists', () => {
    const ids = new Set([...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]));
    const targets = [...html.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]);
    expect(targets.length).toBeGreaterThan(5);
    expect(targets.filter((t) => !ids.has(t))).toEqual([]);
  });

  it('explains each way to connect, where tokens live and the own-app setup', () => {
    for (const heading of ['Data2CRM sign-in', 'Own connected app', 'Paste tokens', 'Where your tokens live', 'Your own Salesforce app']) expect(text).toContain(heading);
    expect(html).toContain('id="own-app"');
  });

  it('says what every badge means and what to do about it', () => {
    // Every word a badge can say, read from the component that says them.
    const source = readFileSync('renderer/src/components/status-badge.tsx', 'utf8');
    const badges = new Set([...source.matchAll(/(?:: |text: |\? )'([A-Z][^']+)'/g)].map((m) => m[1]!));
    expect([...badges]).toEqual(expect.arrayContaining(['Healthy', 'Needs you', 'Needs new tokens', 'Deleted in Data2CRM', 'Stopped: user key rejected', 'Paused']));
    // States a person never looks at for long: passing steps, not something to act on.
    for (const passing of ['Connecting', 'Refreshing', 'Disconnecting']) badges.delete(passing);
    const explained = new Set([...html.matchAll(/<dt>([^<]+)<\/dt>/g)].flatMap((m) => m[1]!.split(', ')));
    expect([...badges].filter((b) => !explained.has(b))).toEqual([]);
  });

  it('links the own-app setup page, and every link to another help page lands on a file and section that exist', () => {
    const links = [...html.matchAll(/href="([\w-]+\.html)(?:#([^"]+))?"/g)].map((m) => ({ file: m[1]!, section: m[2] }));
    expect(links.map((l) => l.file)).toContain('own-salesforce-app.html');
    for (const { file, section } of links) {
      const path = `resources/help/${file}`;
      expect(existsSync(path), path).toBe(true);
      if (section) expect(readFileSync(path, 'utf8'), `${file}#${section}`).toContain(` id="${section}"`);
    }
  });

  it('is finished text: no comment left for later work', () => {
    const comments = [...html.matchAll(/<!--([\s\S]*?)-->/g)].map((m) => m[1]!);
    expect(comments.filter((c) => /issue \d|item \d|completes this|TODO|later/i.test(c))).toEqual([]);
  });

  it('its own-app section lists every callback an External Client App or Connected App can use; Paste tokens names the consumer-key path', () => {
    const ownApp = html.slice(html.indexOf('id="own-app"'), html.indexOf('<h2', html.indexOf('id="own-app"')));
    for (const kind of CALLBACK_KINDS) expect(ownApp).toContain(callbackUrlOf(kind, DEFAULT_CALLBACK_PORT));
    expect(ownApp).toContain('External Client App');
    const paste = html.slice(html.indexOf('<h3>Paste tokens</h3>'), html.indexOf('<h2', html.indexOf('<h3>Paste tokens</h3>')));
    expect(paste).toContain('Consumer key of the app that issued the tokens (optional)');
    expect(paste).toContain('Refresh token');
  });
});
