import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { connectRequestSchema, LIMITS, type ActionResult, type ConnectRequest } from '../../../preload/contract';
import { Field } from '../components/field';
import { capFor, fieldErrors } from '../components/field-errors';
import { MODE_NAMES } from '../components/mode-names';
import { clockWords, useCountdown } from '../components/use-countdown';
import type { CallbackKind } from '../../../shared/callback-urls';
import { AppSetupGuide } from './app-setup-guide';
import { CallbackChoice } from './callback-choice';
import { choiceFromAccount, crmTypeOf, LOGIN_HOSTS, type LoginChoice } from './login-choice';
import { useSettings } from './use-settings';

type Mode = ConnectRequest['mode'];

const MODES: Array<{ id: Mode; title: string; text: string }> = [
  { id: 'internal', title: MODE_NAMES.internal, text: 'Sign in to Salesforce through Data2CRM; Data2CRM keeps the tokens fresh.' },
  { id: 'external', title: MODE_NAMES.external, text: 'Your own Salesforce app: an External Client App (new orgs since Spring ’26) or an existing Connected App; the tray keeps the refresh token and renews access itself.' },
  { id: 'manual', title: 'Paste tokens', text: 'An instance URL and tokens obtained elsewhere, checked with Salesforce first; renewed only with the consumer key of the app that issued them.' },
];

const LOGIN_CHOICES: Array<{ id: LoginChoice; text: string }> = [
  { id: 'production', text: 'Production or Developer Edition (login.salesforce.com)' },
  { id: 'sandbox', text: 'Sandbox (test.salesforce.com)' },
  { id: 'mydomain', text: 'My Domain (your org’s own address)' },
];

const EMPTY = { label: '', crmType: 'Salesforce', loginChoice: null as LoginChoice | null, myDomain: '', clientId: '', clientSecret: '', callback: 'loopback' as CallbackKind, callbackPort: '', instanceUrl: '', accessToken: '', refreshToken: '', appKey: '', appSecret: '' };
type Values = typeof EMPTY;

/** The connect wizard: mode, fields with their problems under them, progress through sign-in and registration. */
export function ConnectWizard({ onClose, userKeySet, onOpenAccount }: { onClose: () => void; userKeySet: boolean; onOpenAccount: () => void }) {
  const [settings] = useSettings();
  const [mode, setMode] = useState<Mode>('internal');
  const [values, setValues] = useState(EMPTY);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  // The outcome of the last Connect: it belongs to that attempt and leaves when the inputs change.
  const [result, setResult] = useState<ActionResult | null>(null);
  const [deadline, setDeadline] = useState<number | null>(null);
  const secondsLeft = useCountdown(deadline);
  const account = choiceFromAccount(settings?.endpoints.salesforceLoginHost ?? '');
  const loginChoice = values.loginChoice ?? account.choice;
  const myDomain = values.loginChoice === null ? account.myDomain : values.myDomain;

  const change = (name: keyof Values) => (value: string) => {
    setValues((v) => ({ ...v, ...(name === 'myDomain' || name === 'loginChoice' ? { loginChoice, myDomain } : {}), [name]: value }));
    setErrors(({ [name]: _dropped, ...rest }) => rest);
    setResult(null);
  };
  const switchMode = (next: Mode) => {
    setMode(next);
    setErrors({});
    setResult(null);
  };
  function request(replaceOldest: boolean): unknown {
    const common = { mode, label: values.label, crmType: values.crmType, ...(replaceOldest && mode !== 'manual' ? { replaceOldest } : {}) };
    if (mode === 'internal') return common;
    if (mode === 'external') {
      const loginHost = loginChoice === 'mydomain' ? myDomain : LOGIN_HOSTS[loginChoice];
      const loopback = values.callback === 'loopback';
      return { ...common, crmType: crmTypeOf(loginChoice, myDomain), loginHost, clientId: values.clientId, ...(values.clientSecret ? { clientSecret: values.clientSecret } : {}), ...(loopback && values.callbackPort ? { callbackPort: Number(values.callbackPort) } : {}), ...(loopback ? {} : { callback: values.callback }) };
    }
    // A refresh token is asked for (and sent) only with the consumer key of the app that issued it.
    const withApp = values.appKey.trim() !== '';
    return { ...common, instanceUrl: values.instanceUrl, accessToken: values.accessToken, ...(withApp ? { clientId: values.appKey, refreshToken: values.refreshToken, ...(values.appSecret ? { clientSecret: values.appSecret } : {}) } : {}) };
  }

  /** The request's field names → the wizard's (pasted tokens keep their app's key and secret apart from the own app's). */
  function fieldOf(key: string): string {
    if (key === 'loginHost') return 'myDomain';
    if (mode === 'manual' && key === 'clientId') return 'appKey';
    if (mode === 'manual' && key === 'clientSecret') return 'appSecret';
    return key;
  }

  function shownFields(): string[] {
    if (mode === 'external') return ['label', ...(loginChoice === 'mydomain' ? ['myDomain'] : []), 'clientId', 'clientSecret', 'callback', ...(values.callback === 'loopback' ? ['callbackPort'] : [])];
    if (mode === 'manual') return ['label', 'instanceUrl', 'accessToken', 'appKey', ...(values.appKey.trim() ? ['refreshToken', 'appSecret'] : [])];
    return ['label'];
  }

  async function connect(replaceOldest: boolean) {
    const parsed = connectRequestSchema.safeParse(request(replaceOldest));
    setResult(null);
    if (!parsed.success) {
      setErrors(fieldErrors(parsed.error, fieldOf));
      return;
    }
    setErrors({});
    setBusy(true);
    if (mode !== 'manual' && settings) setDeadline(Date.now() + settings.signIn.timeoutMinutes * 60_000);
    try {
      const outcome = await window.api.connect(parsed.data);
      // A problem with one field is said under it, when that field is on screen; anything else below the buttons.
      const under = !outcome.ok && outcome.field ? fieldOf(outcome.field) : null;
      if (!outcome.ok && under && shownFields().includes(under)) setErrors({ [under]: outcome.message });
      else setResult(outcome);
      // A notice (a sign-in that ended another connection's) is read before the wizard closes.
      if (outcome.ok && !outcome.notice) onClose();
    } catch (error) {
      setResult({ ok: false, message: error instanceof Error ? error.message : 'The connection failed.' });
    } finally {
      setBusy(false);
      setDeadline(null);
    }
  }

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!busy) void connect(false);
  };
  // Escape leaves the wizard (a sign-in in progress is cancelled first; the wizard then stays).
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || event.defaultPrevented) return;
    event.preventDefault();
    if (busy) void window.api.cancelSignIn();
    else onClose();
  };
  // Opened: focus on the way to connect, where a keyboard user starts.
  const form = useRef<HTMLFormElement>(null);
  const submitButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    form.current?.querySelector<HTMLInputElement>('input[name="mode"]:checked')?.focus();
  }, []);
  // Read-only, not disabled, while a sign-in runs: a disabled field drops keyboard focus to the page.
  const field = (name: keyof Values, limit: number) => ({ value: values[name] ?? '', onChange: (e: { target: { value: string } }) => change(name)(e.target.value), error: errors[name], readOnly: busy, maxLength: capFor(limit) });
  const askingToReplace = result && !result.ok && result.field === 'replaceOldest';

  return (
    <form ref={form} className="card wizard" aria-labelledby="wizard-heading" onSubmit={submit} onKeyDown={onKeyDown} noValidate>
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
            <input type="radio" name="mode" value={m.id} checked={mode === m.id} onChange={() => switchMode(m.id)} disabled={busy} />
            <span>
              <strong>{m.title}</strong> <small>{m.text}</small>
            </span>
          </label>
        ))}
      </fieldset>
      <Field label="Connection name" {...field('label', LIMITS.label)} placeholder="Acme production" />
      {mode !== 'external' && (
        <div className="field">
          <label htmlFor="crm-type">Org type</label>
          <select id="crm-type" value={values.crmType} onChange={(e) => change('crmType')(e.target.value)} disabled={busy}>
            <option value="Salesforce">Production or Developer Edition</option>
            <option value="SalesforceSandbox">Sandbox</option>
          </select>
        </div>
      )}
      {mode === 'external' && (
        <>
          <fieldset aria-describedby="login-choice-hint">
            <legend>Where do you sign in?</legend>
            {LOGIN_CHOICES.map((choice) => (
              <label key={choice.id} className="choice">
                <input type="radio" name="login-host" value={choice.id} checked={loginChoice === choice.id} onChange={() => change('loginChoice')(choice.id)} disabled={busy} />
                <span>{choice.text}</span>
              </label>
            ))}
            <small id="login-choice-hint" className="hint">
              This also sets the org type. It starts from the Salesforce login host under Account; this connection uses the one chosen here.
            </small>
          </fieldset>
          {loginChoice === 'mydomain' && <Field label="My Domain host" value={myDomain} onChange={(e) => change('myDomain')(e.target.value)} error={errors['myDomain']} placeholder="acme.my.salesforce.com" readOnly={busy} maxLength={capFor(LIMITS.host)} />}
          <Field label="Consumer key (client id)" {...field('clientId', LIMITS.clientId)} autoComplete="off" hint="Setup → External Client App Manager → your app → Settings → OAuth Settings → Consumer Key and Secret (a Connected App: App Manager → View)." />
          <Field label="Consumer secret (optional)" type="password" {...field('clientSecret', LIMITS.secret)} hint="Only if your app requires its secret (PKCE off). Kept in the keychain only." autoComplete="off" />
          <CallbackChoice
            kind={values.callback}
            port={values.callbackPort}
            defaultPort={settings?.signIn.callbackPort ?? 1717}
            portError={errors['callbackPort']}
            error={errors['callback']}
            disabled={busy}
            onKind={(kind) => change('callback')(kind)}
            onPort={change('callbackPort')}
          />
          <AppSetupGuide />
        </>
      )}
      {mode === 'manual' && (
        <>
          <Field label="Instance URL" {...field('instanceUrl', LIMITS.host)} placeholder="https://acme.my.salesforce.com" />
          <Field label="Access token" type="password" {...field('accessToken', LIMITS.secret)} autoComplete="off" />
          <Field
            label="Consumer key of the app that issued the tokens (optional)"
            {...field('appKey', LIMITS.clientId)}
            autoComplete="off"
            hint={
              values.appKey.trim()
                ? 'The app renews the tokens with this key, like an own app.'
                : 'Tokens come from a Salesforce app’s sign-in: your External Client App or Connected App, Salesforce CLI, Postman, the sandbox’s “Issue tokens to paste”. With that app’s consumer key the tray renews them; without it they last until the access token expires, and a refresh token cannot be used, so none is asked for.'
            }
          />
          {values.appKey.trim() !== '' && (
            <>
              <Field label="Refresh token" type="password" {...field('refreshToken', LIMITS.secret)} autoComplete="off" />
              <Field label="Consumer secret (optional)" type="password" {...field('appSecret', LIMITS.secret)} hint="Only if the app requires its secret to refresh. Kept in the keychain only." autoComplete="off" />
            </>
          )}
        </>
      )}
      <div className="row-actions">
        <button ref={submitButton} type="submit" className="primary" disabled={!userKeySet} aria-disabled={busy || undefined} aria-busy={busy}>
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
        {busy ? (mode === 'manual' ? 'Verifying the token, then registering with Data2CRM…' : `Complete the sign-in in the window that opened (waiting up to ${settings?.signIn.timeoutMinutes ?? 5} min); the app registers the org with Data2CRM when you are done.`) : ''}
      </p>
      {busy && secondsLeft !== null && (
        <p className="hint" role="timer" aria-label="Time left for the sign-in">
          Time left: {clockWords(secondsLeft)}
        </p>
      )}
      {result?.ok && result.notice && (
        <div role="status" className="banner banner-warning">
          <p>
            {result.message} {result.notice}
          </p>
          <button type="button" className="primary" onClick={onClose}>
            Done
          </button>
        </div>
      )}
      {result && !result.ok && (
        <div role="alert" className="error-text">
          <p>{result.message}</p>
          {askingToReplace && (
            <div className="row-actions">
              {/* The safe answer is the primary one; the one that ends another sign-in is not. */}
              <button type="button" className="primary" onClick={() => (setResult(null), submitButton.current?.focus())}>
                Don’t connect
              </button>
              <button type="button" className="danger" onClick={() => void connect(true)}>
                Sign in anyway
              </button>
            </div>
          )}
        </div>
      )}
    </form>
  );
}
