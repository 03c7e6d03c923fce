/** A screen as people see it: axe in light and dark, at 100 % and 200 % (a 920×680 window), and no sideways scrolling. */
import { expect, type Page } from '@playwright/test';
import { seriousViolations } from './axe.js';

// 200 % zoom of the 920×680 window is the same layout as a 460×340 CSS-pixel viewport.
const LOOKS = [['light', 1], ['dark', 1], ['light', 2], ['dark', 2]] as const;

export async function passesEveryLook(page: Page, what: string, shots?: string): Promise<void> {
  for (const [scheme, zoom] of LOOKS) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width: 920 / zoom, height: 680 / zoom });
    const look = `${what}, ${scheme} at ${zoom * 100} %`;
    expect(await seriousViolations(page), look).toEqual([]);
    // A string: this file is type-checked without the DOM's types (tsconfig.node.json).
    expect(await page.evaluate('document.documentElement.scrollWidth > window.innerWidth + 1'), `${look} scrolls sideways`).toBe(false);
    if (shots) await page.screenshot({ path: `test-results/screenshots/${shots}-${scheme}${zoom === 1 ? '' : '-zoom200'}.png`, fullPage: true });
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 920, height: 680 });
}
