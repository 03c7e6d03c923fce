import { useState } from 'react';
import type { ActionResult } from '../../../preload/contract';
import { ActionButton } from './action-button';

/** A destructive action asked twice, in place: the button, then the question with "Yes, …" and "Keep it". */
export function ConfirmAction(props: { label: string; question: string; confirmLabel: string; busyLabel: string; groupLabel: string; run: () => Promise<ActionResult> }) {
  const [confirming, setConfirming] = useState(false);
  if (!confirming) {
    return (
      <button type="button" className="danger" onClick={() => setConfirming(true)}>
        {props.label}
      </button>
    );
  }
  return (
    <span className="confirm" role="group" aria-label={props.groupLabel}>
      <span>{props.question}</span>
      <ActionButton run={props.run} variant="danger" busyLabel={props.busyLabel}>
        {props.confirmLabel}
      </ActionButton>
      <button type="button" onClick={() => setConfirming(false)}>
        Keep it
      </button>
    </span>
  );
}
