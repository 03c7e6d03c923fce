import { createContext, useCallback, useContext, useState } from 'react';

/**
 * What a person has begun on a connection's card (an open Disconnect question, a half-typed name
 * or token), kept by the connections panel rather than by the card: a virtualized card leaves the
 * DOM when it scrolls away or when the window crosses into the narrow layout, and must come back
 * as it was left. Without a provider (the dialog) a draft is plain component state.
 */
export const RowDrafts = createContext<Map<string, unknown> | null>(null);

export function useRowDraft<T>(key: string, initial: T): [T, (next: T) => void] {
  const drafts = useContext(RowDrafts);
  const [value, setValue] = useState<T>(() => (drafts?.has(key) ? (drafts.get(key) as T) : initial));
  const set = useCallback(
    (next: T) => {
      if (drafts) {
        if (Object.is(next, initial)) drafts.delete(key);
        else drafts.set(key, next);
      }
      setValue(next);
    },
    [drafts, key, initial],
  );
  return [value, set];
}
