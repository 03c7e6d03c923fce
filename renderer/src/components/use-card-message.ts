import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { ActionResult } from '../../../preload/contract';
import { OK_NOTE_MS } from './action-button';

export interface CardMessage {
  /** The outcome to show on the card's one message line, or null. */
  readonly shown: ActionResult | null;
  /** Give to each ActionButton of the card (`report`). */
  readonly report: (result: ActionResult | null) => void;
  readonly clear: () => void;
}

/**
 * One message line per card: the last action's outcome, said once, below the card's buttons.
 * It belongs to the state the card was in when the action started and leaves when that state
 * changes (a failed refresh that turned the card to "Retrying" is said by the card's state, not
 * twice); a failure the card already says (`alreadySaid`: its state's reason, a rejected user key
 * its badge shows) is not repeated; a success note leaves on its own after a moment, whatever the
 * state did meanwhile (often the action changed it).
 */
export function useCardMessage(stateKey: string, alreadySaid: (failure: string) => boolean = () => false): CardMessage {
  const [message, setMessage] = useState<{ result: ActionResult; key: string } | null>(null);
  const current = useRef(stateKey);
  const startedIn = useRef(stateKey);
  useLayoutEffect(() => {
    current.current = stateKey;
  }, [stateKey]);
  const report = useCallback((result: ActionResult | null) => {
    if (result === null) {
      startedIn.current = current.current;
      setMessage(null);
    } else if (result.message) setMessage({ result, key: startedIn.current });
  }, []);
  const clear = useCallback(() => setMessage(null), []);
  useEffect(() => {
    if (!message?.result.ok) return;
    const timer = setTimeout(() => setMessage(null), OK_NOTE_MS);
    return () => clearTimeout(timer);
  }, [message]);
  // A success note stays until it fades, also when its own action changed the state (a refresh
  // that shows the rejected user key works again); a failure leaves with the state it belonged to.
  const visible = message !== null && (message.result.ok || (message.key === stateKey && !alreadySaid(message.result.message))) ? message.result : null;
  return { shown: visible, report, clear };
}
