/**
 * What a person sees of a screen's layout, measured in the real Chromium page: the light/dark and
 * 100 %/200 % variants every layout test runs in, button labels broken over lines, where the
 * keyboard focus is and whether it shows.
 */
import type { Page } from '@playwright/test';

/** The settings window is 920×680; at 200 % zoom that is the layout of a 460×340 CSS-pixel page. */
export const SETTINGS_SIZE = { width: 920, height: 680 };
/** The connection dialog's window. */
export const DIALOG_SIZE = { width: 520, height: 560 };

export const VARIANTS = [
  ['light', 1],
  ['dark', 1],
  ['light', 2],
  ['dark', 2],
] as const;
export type Variant = (typeof VARIANTS)[number];

/** The page as the window is at that zoom and colour scheme. */
export async function showAs(page: Page, [scheme, zoom]: Variant, size = SETTINGS_SIZE): Promise<void> {
  await page.emulateMedia({ colorScheme: scheme });
  await page.setViewportSize({ width: Math.round(size.width / zoom), height: Math.round(size.height / zoom) });
}

export const variantName = ([scheme, zoom]: Variant) => `${scheme} at ${zoom * 100} %`;

/**
 * The labels of visible buttons broken over more than one line, or cut short inside their button:
 * a label is one piece ("Test key", never "Test / key"); a group of buttons wraps between them.
 */
export function brokenButtonLabels(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('button')]
      .filter((b) => b.getClientRects().length > 0 && getComputedStyle(b).visibility !== 'hidden')
      .flatMap((b) => {
        const range = document.createRange();
        range.selectNodeContents(b);
        const lines = [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0);
        if (lines.length === 0) return [];
        const lineHeight = Math.min(...lines.map((r) => r.height));
        const wrapped = range.getBoundingClientRect().height > lineHeight * 1.5;
        const cut = b.scrollWidth > b.clientWidth + 1 && !b.closest('td');
        return wrapped || cut ? [`${(b.textContent ?? '').trim()}${wrapped ? ' (wraps)' : ' (cut)'}`] : [];
      }),
  );
}

export interface FocusState {
  /** What has focus, as a person would name it ("button Connect", "textbox Connection name"). */
  readonly name: string;
  /** Focus fell to the page: nothing to act on with the keyboard. */
  readonly lost: boolean;
  /** The browser draws the focus ring (:focus-visible) and it has an outline or a shadow. */
  readonly visible: boolean;
}

export function focusState(page: Page): Promise<FocusState> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body || el === document.documentElement) return { name: 'the page', lost: true, visible: false };
    const style = getComputedStyle(el);
    const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
    const label = el.getAttribute('aria-label') ?? (el.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : null) ?? el.textContent ?? '';
    return { name: `${el.getAttribute('role') ?? el.tagName.toLowerCase()} ${label.trim().slice(0, 60)}`, lost: false, visible: el.matches(':focus-visible') && ring };
  });
}

/**
 * Runs the same checks in each look (light and dark, 100 % and 200 %) over one app and page, then
 * shows the page as it was first (light, 100 %): a look changes the page, not the core under it.
 */
export async function inEveryLook(page: Page, check: (look: string, variant: Variant) => Promise<void>, size = SETTINGS_SIZE): Promise<void> {
  for (const variant of VARIANTS) {
    await showAs(page, variant, size);
    await check(variantName(variant), variant);
  }
  await showAs(page, VARIANTS[0], size);
}
