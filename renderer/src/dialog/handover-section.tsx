import { useState } from 'react';
import type { ActionResult, ConnectionView } from '../../../preload/contract';
import { ActionButton } from '../components/action-button';
import { Field } from '../components/field';

/**
 * "Hand over to a keeper…" in a connection's dialog: seal it into a file the person saves (main's
 * save dialog), show the passphrase this once, then finish with the keeper's receipt or cancel.
 * The passphrase lives only in this component's state until the person says it is copied (or
 * the dialog closes); it is never stored, logged or sent anywhere from here.
 */
export function HandoverSection({ connection, report }: { connection: ConnectionView; report: (result: ActionResult | null) => void }) {
  const [asking, setAsking] = useState(false);
  const [keeper, setKeeper] = useState('');
  const [passphrase, setPassphrase] = useState<string | null>(null);
  const [receipt, setReceipt] = useState('');
  const kept = connection.keptBy;

  if (passphrase !== null) {
    return (
      <div className="handover" role="group" aria-label="Hand-over passphrase">
        <p>
          Passphrase, shown this once: <output className="passphrase">{passphrase}</output>
        </p>
        <p className="hint">On the keeper’s machine, the keeper’s receive command takes the saved file (it asks for this passphrase); type the receipt it prints here.</p>
        <button type="button" className="primary" onClick={() => setPassphrase(null)}>
          I have noted it
        </button>
      </div>
    );
  }
  if (kept?.pending) {
    return (
      <div className="handover" role="group" aria-label={`Finish the hand-over to ${kept.keeper}`}>
        <Field label={`Receipt from ${kept.keeper}`} hint="The 8 letters and digits the keeper printed when it took the file." value={receipt} onChange={(e) => setReceipt(e.target.value)} autoComplete="off" spellCheck={false} maxLength={20} />
        <div className="row-actions">
          <ActionButton variant="primary" run={() => window.api.completeHandover(connection.id, receipt.trim())} busyLabel="Finishing…" report={report}>
            Finish hand-over
          </ActionButton>
          <ActionButton run={() => window.api.cancelHandover(connection.id)} busyLabel="Cancelling…" report={report}>
            Cancel hand-over
          </ActionButton>
        </div>
      </div>
    );
  }
  if (kept) return null;
  if (!asking) {
    return (
      <div className="row-actions">
        <button type="button" onClick={() => setAsking(true)}>
          Hand over to a keeper…
        </button>
      </div>
    );
  }
  return (
    <div className="handover" role="group" aria-label="Hand over to a keeper">
      <Field label="Keeper’s name" hint="What this app will call it: “kept by …”. From the moment it is sealed, this app no longer renews the connection." value={keeper} onChange={(e) => setKeeper(e.target.value)} maxLength={100} />
      <div className="row-actions">
        <ActionButton
          variant="primary"
          busyLabel="Sealing…"
          report={report}
          run={async () => {
            const result = await window.api.handOverToFile(connection.id, keeper.trim());
            if (!result.ok) return result;
            setAsking(false);
            setPassphrase(result.passphrase);
            return { ok: true, message: result.message };
          }}
        >
          Seal and save…
        </ActionButton>
        <button type="button" onClick={() => setAsking(false)}>
          Not now
        </button>
      </div>
    </div>
  );
}
