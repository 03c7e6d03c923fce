import { useEffect, useState, type ReactNode } from 'react';
import type { ActionResult } from '../../../preload/contract';

/** A success note ("copied") is a moment's confirmation, not a state: it leaves on its own. */
const OK_NOTE_MS = 6_000;

/** A button that runs an action, shows progress while it runs and its outcome after. */
export function ActionButton(props: { run: () => Promise<ActionResult>; children: ReactNode; busyLabel?: string; variant?: 'primary' | 'danger' | 'plain'; disabled?: boolean; onDone?: (result: ActionResult) => void; resetKey?: unknown }) {
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
    setBusy(true);
    setResult(null);
    try {
      const outcome = await props.run();
      setResult(outcome);
      props.onDone?.(outcome);
    } catch (error) {
      setResult({ ok: false, message: error instanceof Error ? error.message : 'Something went wrong.' });
    } finally {
      setBusy(false);
    }
  }
  return (
    <span className="action">
      <button type="button" className={props.variant ?? 'plain'} onClick={() => void click()} disabled={busy || props.disabled} aria-busy={busy}>
        {busy ? (props.busyLabel ?? 'Working…') : props.children}
      </button>
      {result?.message && (
        <span role={result.ok ? 'status' : 'alert'} className={result.ok ? 'ok-text' : 'error-text'}>
          {result.message}
        </span>
      )}
    </span>
  );
}
