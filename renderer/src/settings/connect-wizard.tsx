import { useState, type FormEvent } from 'react';
import { connectRequestSchema, type ActionResult, type ConnectRequest } from '../../../preload/contract';
import { Field } from '../components/field';

type Mode = ConnectRequest['mode'];
type LoginChoice = 'production' | 'sandbox' | 'mydomain';
const LOGIN_HOSTS: Record<Exclude<LoginChoice, 'mydomain'>, string> = { production: 'login.salesforce.com', sandbox: 'test.salesforce.com' };

const MODES: Array<{ id: Mode; title: string; text: string }> = [
  { id: 'internal', title: 'Data2CRM sign-in', text: 'Sign in to Salesforce through Data2CRM; Data2CRM keeps the tokens fresh.' },
  { id: 'external', title: 'Own connected app', text: 'Your Salesforce connected app; the tray keeps the refresh token and renews access itself.' },
  { id: 'manual', title: 'Paste tokens', text: 'An instance URL and access token obtained elsewhere, checked with Salesforce first.' },
];

/** The connect wizard: mode, fields with inline validation, progress through sign-in and registration. */
export function ConnectWizard({ onClose, userKeySet, onOpenAccount }: { onClose: () => void; userKeySet: boolean; onOpenAccount: () => void }) {
  const [mode, setMode] = useState<Mode>('internal');
  const [values, setValues] = useState({ label: '', crmType: 'Salesforce', loginChoice: 'production' as LoginChoice, myDomain: '', clientId: '', clientSecret: '', callbackPort: '', instanceUrl: '', accessToken: '', refreshToken: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ActionResult | null>(null);
  const set = (name: keyof typeof values) => (value: string) => setValues((v) => ({ ...v, [name]: value }));

  function request(): unknown {
    const common = { mode, label: values.label, crmType: values.crmType };
    if (mode === 'internal') return common;
    if (mode === 'external') {
      const loginHost = values.loginChoice === 'mydomain' ? values.myDomain : LOGIN_HOSTS[values.loginChoice];
      return { ...common, loginHost, clientId: values.clientId, ...(values.clientSecret ? { clientSecret: values.clientSecret } : {}), ...(values.callbackPort ? { callbackPort: Number(values.callbackPort) } : {}) };
    }
    return { ...common, instanceUrl: values.instanceUrl, accessToken: values.accessToken, ...(values.refreshToken ? { refreshToken: values.refreshToken } : {}) };
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = connectRequestSchema.safeParse(request());
    if (!parsed.success) {
      const found: Record<string, string> = {};
      for (const issue of parsed.error.issues) {
        const key = String(issue.path[0] ?? 'form');
        found[key === 'loginHost' && values.loginChoice === 'mydomain' ? 'myDomain' : key] ??= issue.message.startsWith('Invalid') || issue.message.startsWith('Too') ? 'Check this value.' : issue.message;
      }
      setErrors(found);
      return;
    }
    setErrors({});
    setBusy(true);
    setResult(null);
    try {
      const outcome = await window.api.connect(parsed.data);
      setResult(outcome);
      if (outcome.ok) onClose();
    } catch (error) {
      setResult({ ok: false, message: error instanceof Error ? error.message : 'The connection failed.' });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card wizard" aria-labelledby="wizard-heading" onSubmit={(e) => void submit(e)} noValidate>
      <h3 id="wizard-heading">Connect a Salesforce org</h3>
      {!userKeySet && (
        <p className="banner banner-warning" role="note">
          Set your Data2CRM user key first: registering the org needs it, so Connect waits for it.{' '}
          <button type="button" className="banner-action" onClick={onOpenAccount}>
            Open Account
          </button>
        </p>
      )}
      <fieldset>
        <legend>How do you want to connect?</legend>
        {MODES.map((m) => (
          <label key={m.id} className="choice">
            <input type="radio" name="mode" value={m.id} checked={mode === m.id} onChange={() => setMode(m.id)} disabled={busy} />
            <span>
              <strong>{m.title}</strong> <small>{m.text}</small>
            </span>
          </label>
        ))}
      </fieldset>
      <Field label="Connection name" value={values.label} onChange={(e) => set('label')(e.target.value)} error={errors['label']} placeholder="Acme production" disabled={busy} />
      <div className="field">
        <label htmlFor="crm-type">Org type</label>
        <select id="crm-type" value={values.crmType} onChange={(e) => set('crmType')(e.target.value)} disabled={busy}>
          <option value="Salesforce">Production or Developer Edition</option>
          <option value="SalesforceSandbox">Sandbox</option>
        </select>
      </div>
      {mode === 'external' && (
        <>
          <fieldset>
            <legend>Login host</legend>
            {(['production', 'sandbox', 'mydomain'] as const).map((choice) => (
              <label key={choice} className="choice">
                <input type="radio" name="login-host" value={choice} checked={values.loginChoice === choice} onChange={() => set('loginChoice')(choice)} disabled={busy} />
                <span>{choice === 'production' ? 'Production (login.salesforce.com)' : choice === 'sandbox' ? 'Sandbox (test.salesforce.com)' : 'My Domain'}</span>
              </label>
            ))}
          </fieldset>
          {values.loginChoice === 'mydomain' && <Field label="My Domain host" value={values.myDomain} onChange={(e) => set('myDomain')(e.target.value)} error={errors['myDomain'] ?? errors['loginHost']} placeholder="acme.my.salesforce.com" disabled={busy} />}
          <Field label="Consumer key (client id)" value={values.clientId} onChange={(e) => set('clientId')(e.target.value)} error={errors['clientId']} disabled={busy} autoComplete="off" />
          <Field label="Consumer secret (optional)" type="password" value={values.clientSecret} onChange={(e) => set('clientSecret')(e.target.value)} error={errors['clientSecret']} hint="Kept in the keychain only." disabled={busy} autoComplete="off" />
          <Field label="Callback port (optional)" inputMode="numeric" value={values.callbackPort} onChange={(e) => set('callbackPort')(e.target.value.replace(/\D/g, ''))} error={errors['callbackPort']} hint="Must match the connected app's callback URL http://127.0.0.1:<port>/callback. Default 1717." disabled={busy} />
        </>
      )}
      {mode === 'manual' && (
        <>
          <Field label="Instance URL" value={values.instanceUrl} onChange={(e) => set('instanceUrl')(e.target.value)} error={errors['instanceUrl']} placeholder="https://acme.my.salesforce.com" disabled={busy} />
          <Field label="Access token" type="password" value={values.accessToken} onChange={(e) => set('accessToken')(e.target.value)} error={errors['accessToken']} disabled={busy} autoComplete="off" />
          <Field label="Refresh token (optional)" type="password" value={values.refreshToken} onChange={(e) => set('refreshToken')(e.target.value)} error={errors['refreshToken']} disabled={busy} autoComplete="off" />
        </>
      )}
      <div className="row-actions">
        <button type="submit" className="primary" disabled={busy || !userKeySet} aria-busy={busy}>
          {busy ? (mode === 'manual' ? 'Checking with Salesforce…' : 'Waiting for sign-in…') : 'Connect'}
        </button>
        {busy && mode !== 'manual' ? (
          <button type="button" onClick={() => void window.api.cancelSignIn()}>
            Cancel sign-in
          </button>
        ) : (
          <button type="button" onClick={onClose} disabled={busy}>
            Close
          </button>
        )}
      </div>
      <p role="status" aria-live="polite" className="progress">
        {busy ? (mode === 'manual' ? 'Verifying the token, then registering with Data2CRM…' : 'Complete the sign-in in the window that opened; the app registers the org with Data2CRM when you are done.') : ''}
      </p>
      {result && !result.ok && (
        <p role="alert" className="error-text">
          {result.message}
        </p>
      )}
    </form>
  );
}
