import { useEffect, useRef, type KeyboardEvent } from 'react';
import type { ActionResult } from '../../../preload/contract';
import { ActionButton } from './action-button';
import { useRowDraft } from './use-row-draft';

/**
 * A destructive action asked twice, in place: the button, then the question with "Yes, …" and
 * "Keep it". Opening the question puts focus on the safe answer; Escape or "Keep it" closes it and
 * gives focus back to the button. An open question survives its card leaving the DOM (`draftKey`).
 */
export function ConfirmAction(props: { label: string; question: string; confirmLabel: string; busyLabel: string; groupLabel: string; draftKey: string; run: () => Promise<ActionResult>; report?: (result: ActionResult | null) => void }) {
  const [confirming, setConfirming] = useRowDraft(`${props.draftKey}:confirming`, false);
  const keep = useRef<HTMLButtonElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  // Where focus goes next: into the question when it opens, back to the button when it closes.
  const moveFocus = useRef<'question' | 'button' | null>(null);
  useEffect(() => {
    if (moveFocus.current === 'question') keep.current?.focus();
    if (moveFocus.current === 'button') opener.current?.focus();
    moveFocus.current = null;
  }, [confirming]);
  const close = () => {
    moveFocus.current = 'button';
    setConfirming(false);
  };
  if (!confirming) {
    return (
      <button ref={opener} type="button" className="danger" onClick={() => ((moveFocus.current = 'question'), setConfirming(true))}>
        {props.label}
      </button>
    );
  }
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    event.stopPropagation();
    close();
  };
  return (
    <span className="confirm" role="group" aria-label={props.groupLabel} onKeyDown={onKeyDown}>
      <span>{props.question}</span>
      <span className="confirm-answers">
        <ActionButton run={props.run} variant="danger" busyLabel={props.busyLabel} report={props.report}>
          {props.confirmLabel}
        </ActionButton>
        <button ref={keep} type="button" onClick={close}>
          Keep it
        </button>
      </span>
    </span>
  );
}
