import { useState } from 'react';
import type { ActionResult } from '../../../preload/contract';
import { ActionButton, ResultText } from '../components/action-button';
import { Field } from '../components/field';

/** A sealed connection is a few KB; a file far larger is not one (and is not read). */
const SEALED_FILE_MAX_BYTES = 256 * 1024;

/**
 * "Take a handed-back connection…": a keeper's `handback` sealed it into a file for this app.
 * The file's text and the passphrase go to main once; main opens it, stores it and answers the
 * receipt, which the person gives the keeper to finish (`handback --complete --receipt`).
 */
export function TakeHandback() {
  const [open, setOpen] = useState(false);
  const [sealed, setSealed] = useState<string | null>(null);
  const [fileProblem, setFileProblem] = useState<string | undefined>();
  const [passphrase, setPassphrase] = useState('');
  const [outcome, setOutcome] = useState<ActionResult | null>(null);
  if (!open) {
    return (
      <div className="row-actions">
        <button type="button" onClick={() => setOpen(true)}>
          Take a handed-back connection…
        </button>
      </div>
    );
  }
  async function choose(file: File | undefined) {
    setSealed(null);
    setFileProblem(undefined);
    if (!file) return;
    if (file.size > SEALED_FILE_MAX_BYTES) return setFileProblem('That file is far larger than a sealed connection.');
    setSealed(await file.text());
  }
  return (
    <section className="handover" aria-labelledby="take-handback-heading">
      <h3 id="take-handback-heading">Take a handed-back connection</h3>
      <p className="hint">A keeper sealed it for this app (its handback command with --out FILE). This app renews it from the moment it takes it.</p>
      <Field label="Sealed file" type="file" accept=".d2ckeep" error={fileProblem} onChange={(e) => void choose(e.target.files?.[0])} />
      <Field label="Passphrase" hint="The one the keeper printed with the file." type="password" autoComplete="off" spellCheck={false} value={passphrase} onChange={(e) => setPassphrase(e.target.value)} maxLength={100} />
      <div className="row-actions">
        <ActionButton
          variant="primary"
          busyLabel="Taking…"
          disabled={sealed === null || passphrase.trim() === ''}
          report={setOutcome}
          run={async () => {
            const result = await window.api.receiveHandover(sealed ?? '', passphrase);
            if (result.ok) setPassphrase('');
            return result;
          }}
        >
          Take it
        </ActionButton>
        <button type="button" onClick={() => setOpen(false)}>
          Close
        </button>
      </div>
      {outcome && (
        <p className="card-message">
          <ResultText result={outcome} />
        </p>
      )}
    </section>
  );
}
