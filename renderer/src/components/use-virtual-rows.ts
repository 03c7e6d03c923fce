import { defaultRangeExtractor, useVirtualizer, useWindowVirtualizer, type Range, type VirtualItem } from '@tanstack/react-virtual';
import { useCallback, useLayoutEffect, useMemo, useRef, useState, type FocusEvent, type RefObject } from 'react';
import { useMediaQuery } from './use-media-query';

/**
 * Where the page scrolls as a whole instead of its content pane: small windows and high zoom.
 * Keep in step with the `@media` rule in styles.css that fixes the header only outside this query.
 */
export const PAGE_SCROLLS = '(max-width: 639.98px), (max-height: 419.98px)';

/** Rows kept beyond each edge of the viewport: Tab and Shift+Tab reach them, and scroll them in. */
const OVERSCAN = 4;

export interface PlacedRow {
  readonly item: VirtualItem;
  /** Empty space before this row beyond the usual gap: rows kept for focus can be far apart. */
  readonly jump: number;
}

export interface VirtualRows {
  readonly rows: readonly PlacedRow[];
  /** Space above the first and below the last rendered row, standing for the rows not rendered. */
  readonly before: number;
  readonly after: number;
  /** Give each row element as its ref, with `data-index` set: rows are measured as they are. */
  readonly measure: (element: HTMLElement | null) => void;
  /** On the list element: keeps the row holding keyboard focus rendered while it scrolls away. */
  readonly onFocus: (event: FocusEvent<HTMLElement>) => void;
  readonly onBlur: (event: FocusEvent<HTMLElement>) => void;
  readonly scrollToIndex: (index: number) => void;
}

function scrollParent(element: HTMLElement | null): HTMLElement | null {
  for (let node = element?.parentElement ?? null; node; node = node.parentElement) {
    const overflow = getComputedStyle(node).overflowY;
    if (overflow === 'auto' || overflow === 'scroll') return node;
  }
  return null;
}

/**
 * Only the rows on screen (and a few around them) in the DOM, for lists of any length. The rows
 * stay in normal flow (spacing stands for the others), so reading and tab order are the page's own.
 * The scroll container is the content pane, or the window where the whole page scrolls.
 */
export function useVirtualRows(options: { list: RefObject<HTMLElement | null>; keys: readonly string[]; estimate: number; gap?: number }): VirtualRows {
  const { list, keys, estimate, gap = 0 } = options;
  const pageScrolls = useMediaQuery(PAGE_SCROLLS);
  const [scrollMargin, setScrollMargin] = useState(0);
  // The focused row by key (rows move when the list changes), read when the range is computed.
  const focusedKey = useRef<string | null>(null);
  const indexOfKey = useMemo(() => new Map(keys.map((key, index) => [key, index])), [keys]);
  const indexRef = useRef(indexOfKey);
  useLayoutEffect(() => {
    indexRef.current = indexOfKey;
  }, [indexOfKey]);
  const rangeExtractor = useCallback((range: Range) => {
    const indexes = defaultRangeExtractor(range);
    const focused = focusedKey.current === null ? undefined : indexRef.current.get(focusedKey.current);
    if (focused === undefined || focused >= range.count || indexes.includes(focused)) return indexes;
    return [...indexes, focused].sort((a, b) => a - b);
  }, []);
  const getItemKey = useCallback((index: number) => keys[index] ?? index, [keys]);
  const estimateSize = useCallback(() => estimate, [estimate]);
  const common = { count: keys.length, getItemKey, estimateSize, gap, overscan: OVERSCAN, scrollMargin, rangeExtractor };
  // The build runs no React Compiler: nothing memoizes these functions behind our back (the rows
  // are memoized by hand, on what they show).
  // eslint-disable-next-line react-hooks/incompatible-library
  const inPane = useVirtualizer<HTMLElement, HTMLElement>({ ...common, enabled: !pageScrolls, getScrollElement: () => scrollParent(list.current) });
  const inWindow = useWindowVirtualizer<HTMLElement>({ ...common, enabled: pageScrolls });
  const virtualizer = pageScrolls ? inWindow : inPane;

  // Where the list starts within what scrolls: it moves when anything above it changes size.
  useLayoutEffect(() => {
    const element = list.current;
    if (!element) return;
    const measureMargin = () => {
      const top = element.getBoundingClientRect().top;
      const host = pageScrolls ? null : scrollParent(element);
      const margin = host ? top - host.getBoundingClientRect().top + host.scrollTop : top + window.scrollY;
      setScrollMargin((current) => (Math.abs(current - margin) < 1 ? current : Math.round(margin)));
    };
    const observer = new ResizeObserver(measureMargin);
    observer.observe(document.body);
    if (element.parentElement) observer.observe(element.parentElement);
    return () => observer.disconnect();
  }, [list, pageScrolls]);

  const scrollToIndex = useCallback((index: number) => virtualizer.scrollToIndex(index, { align: 'start' }), [virtualizer]);
  const items = virtualizer.getVirtualItems();
  const rows = items.map((item, i) => ({ item, jump: i === 0 ? 0 : item.start - items[i - 1]!.end - gap }));
  const first = items[0];
  const last = items.at(-1);
  return {
    rows,
    before: first ? first.start - scrollMargin : 0,
    after: last ? Math.max(0, virtualizer.getTotalSize() - (last.end - scrollMargin)) : 0,
    measure: virtualizer.measureElement,
    onFocus: (event) => {
      const key = (event.target as Element).closest('[data-key]')?.getAttribute('data-key');
      if (key) focusedKey.current = key;
    },
    onBlur: (event) => {
      if (!event.currentTarget.contains(event.relatedTarget as Node | null)) focusedKey.current = null;
    },
    scrollToIndex,
  };
}

/** The rows' ids in order, the same array while they stay the same (the virtualizer keys on it). */
export function useIds(rows: ReadonlyArray<{ readonly id: string }>): readonly string[] {
  const joined = rows.map((r) => r.id).join('\n');
  return useMemo(() => (joined === '' ? [] : joined.split('\n')), [joined]);
}
