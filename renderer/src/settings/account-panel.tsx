import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { LIMITS, type ActionResult, type Snapshot } from '../../../preload/contract';
import { ActionButton, ResultText } from '../components/action-button';
import { Field } from '../components/field';
import { capFor } from '../components/field-errors';
import { useSettings } from './use-settings';

export function AccountPanel({ snapshot }: { snapshot: Snapshot }) {
  const [replacing, setReplacing] = useState(!snapshot.userKey.set);
  const [key, setKey] = useState('');
  const [keyError, setKeyError] = useState<string | undefined>();
  const [settings, reload] = useSettings();
  const [endpoints, setEndpoints] = useState<Record<string, string> | null>(null);
  const [sandboxAddress, setSandboxAddress] = useState('');
  const current = endpoints ?? settings?.endpoints ?? null;
  // What saving or testing the key found out belongs to the address it was tested at: when the
  // address on screen changes (being fixed in the field, or step 2 of the README pointing the app
  // at the sandbox), the note leaves instead of contradicting it. One line for it, under the buttons.
  const noteState = current?.['data2crmApiBase'] ?? '';
  const [keyNote, setKeyNoteFor] = useState<{ result: ActionResult; for: string } | null>(null);
  const setKeyNote = (result: ActionResult | null) => setKeyNoteFor(result?.message ? { result, for: noteState } : null);
  const shownNote = keyNote?.for === noteState ? keyNote.result : null;
  // Focus follows the form: into the field when it opens, back to "Replace key…" when it closes.
  const keyForm = useRef<HTMLDivElement>(null);
  const replaceButton = useRef<HTMLButtonElement>(null);
  const wasReplacing = useRef(replacing);
  useEffect(() => {
    if (replacing && !wasReplacing.current) keyForm.current?.querySelector('input')?.focus();
    if (!replacing && wasReplacing.current) replaceButton.current?.focus();
    wasReplacing.current = replacing;
  }, [replacing]);
  const saveKey = async (): Promise<ActionResult> => {
    // What is wrong with the value is said under the field, in the contract's words.
    const saved = await window.api.setUserKey(key).catch((error: unknown) => ({ ok: false as const, message: error instanceof Error ? error.message : 'The key could not be saved.' }));
    if (!saved.ok) {
      setKeyError(saved.message);
      return { ok: true };
    }
    // Saving tests the key at once and says the result.
    const tested = await window.api.testUserKey();
    setKey('');
    setReplacing(false);
    return tested.ok ? { ok: true, message: `Saved. ${tested.message ?? 'Data2CRM accepted the key.'}` } : { ok: false, message: `Saved, but ${tested.message.replace(/^./, (c) => c.toLowerCase())}` };
  };
  // Escape gives up replacing a stored key (with none stored, the field is all there is).
  const cancelOnEscape = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || !replacing || !snapshot.userKey.set) return;
    event.stopPropagation();
    setReplacing(false);
    setKey('');
    setKeyError(undefined);
  };
  return (
    <section aria-labelledby="account-heading">
      <h2 id="account-heading">Account</h2>
      <div className="card">
        <h3>Data2CRM user key</h3>
        <p>
          {snapshot.userKey.set ? (
            <>
              A key is stored in the keychain (<code data-testid="user-key-fingerprint">{snapshot.userKey.fingerprint}</code>). It is never shown; you can replace it.
            </>
          ) : (
            'No user key is set yet.'
          )}
        </p>
        <form className="inline-form" onSubmit={(e) => e.preventDefault()} onKeyDown={cancelOnEscape}>
          {replacing && (
            <div ref={keyForm}>
              <Field label="New user key" type="password" value={key} onChange={(e) => (setKey(e.target.value), setKeyError(undefined))} autoComplete="off" error={keyError} maxLength={capFor(LIMITS.secret)} />
            </div>
          )}
          <span className="button-group">
            {replacing ? (
              <ActionButton variant="primary" busyLabel="Saving and testing…" run={saveKey} report={setKeyNote}>
                Save key
              </ActionButton>
            ) : (
              <button ref={replaceButton} type="button" onClick={() => (setReplacing(true), setKeyNote(null))}>
                Replace key…
              </button>
            )}
            {snapshot.userKey.set && (
              <ActionButton run={() => window.api.testUserKey()} busyLabel="Testing…" report={setKeyNote}>
                Test key
              </ActionButton>
            )}
          </span>
        </form>
        {shownNote && (
          <p className="card-message">
            <ResultText result={shownNote} />
          </p>
        )}
      </div>
      {current && (
        <details className="card">
          <summary>Advanced: service addresses</summary>
          <p className="hint">
            To try the app without accounts, start <code>npm run sandbox</code> and paste the address it prints: every address below follows, and the sandbox&apos;s instance host is trusted once you confirm it in the app&apos;s dialog.
          </p>
          <form className="inline-form" onSubmit={(e) => e.preventDefault()}>
            <Field label="Sandbox address" value={sandboxAddress} onChange={(e) => setSandboxAddress(e.target.value)} placeholder="http://127.0.0.1:4517" autoComplete="off" />
            <ActionButton run={() => window.api.useLocalSandbox(sandboxAddress)} onDone={(r) => r.ok && (setEndpoints(null), reload())} resetKey={sandboxAddress}>
              Use this sandbox
            </ActionButton>
          </form>
          <p className="hint">Or set each address yourself. The app asks you to confirm a new address in its own dialog before it sends anything there.</p>
          <Field label="Data2CRM API base URL" value={current['data2crmApiBase'] ?? ''} onChange={(e) => setEndpoints({ ...current, data2crmApiBase: e.target.value })} />
          <Field label="Data2CRM auth base URL" value={current['data2crmAuthBase'] ?? ''} onChange={(e) => setEndpoints({ ...current, data2crmAuthBase: e.target.value })} />
          <Field label="Salesforce login host" value={current['salesforceLoginHost'] ?? ''} onChange={(e) => setEndpoints({ ...current, salesforceLoginHost: e.target.value })} />
          <ActionButton run={() => window.api.updateSettings({ endpoints: current })} onDone={(r) => r.ok && (setEndpoints(null), reload())}>
            Save addresses
          </ActionButton>
        </details>
      )}
    </section>
  );
}
