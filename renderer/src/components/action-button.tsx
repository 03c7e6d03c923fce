import { useEffect, useState, type ReactNode } from 'react';
import type { ActionResult } from '../../../preload/contract';

/** A success note ("copied") is a moment's confirmation, not a state: it leaves on its own. */
export const OK_NOTE_MS = 6_000;

interface ActionButtonProps {
  run: () => Promise<ActionResult>;
  children: ReactNode;
  busyLabel?: string;
  variant?: 'primary' | 'danger' | 'plain';
  disabled?: boolean;
  onDone?: (result: ActionResult) => void;
  resetKey?: unknown;
  /**
   * Where the outcome is said instead of beside the button: a card's one message line (null when
   * a new run starts). Buttons in a group then never move when a message comes or goes.
   */
  report?: (result: ActionResult | null) => void;
}

/** A button that runs an action, shows progress while it runs and its outcome after. */
export function ActionButton(props: ActionButtonProps) {
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ActionResult | null>(null);
  // A message belongs to the action that caused it: it leaves when the situation changes.
  const [shownFor, setShownFor] = useState(props.resetKey);
  if (shownFor !== props.resetKey) {
    setShownFor(props.resetKey);
    setResult(null);
  }
  useEffect(() => {
    if (!result?.ok) return;
    const timer = setTimeout(() => setResult(null), OK_NOTE_MS);
    return () => clearTimeout(timer);
  }, [result]);
  async function click() {
    if (busy) return;
    setBusy(true);
    setResult(null);
    props.report?.(null);
    let outcome: ActionResult;
    try {
      outcome = await props.run();
    } catch (error) {
      outcome = { ok: false, message: error instanceof Error ? error.message : 'Something went wrong.' };
    } finally {
      setBusy(false);
    }
    if (props.report) props.report(outcome);
    else setResult(outcome);
    props.onDone?.(outcome);
  }
  const button = (
    // Busy is aria-disabled, not disabled: a disabled button drops keyboard focus to the page.
    <button type="button" className={props.variant ?? 'plain'} onClick={() => void click()} disabled={props.disabled} aria-disabled={busy || undefined} aria-busy={busy}>
      {busy ? (props.busyLabel ?? 'Working…') : props.children}
    </button>
  );
  if (props.report) return button;
  return (
    <span className="action">
      {button}
      {result?.message && <ResultText result={result} />}
    </span>
  );
}

/** An outcome in words: a success as a status, a failure as an alert. */
export function ResultText({ result, className = '' }: { result: ActionResult; className?: string }) {
  return (
    <span role={result.ok ? 'status' : 'alert'} className={`${result.ok ? 'ok-text' : 'error-text'} ${className}`.trim()}>
      {result.message}
    </span>
  );
}
