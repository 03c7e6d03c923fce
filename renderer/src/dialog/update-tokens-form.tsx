import { useEffect, useRef, useState } from 'react';
import { invokeChannels, LIMITS, type ActionResult } from '../../../preload/contract';
import { ActionButton } from '../components/action-button';
import { Field } from '../components/field';
import { capFor, fieldErrors } from '../components/field-errors';
import { useRowDraft } from '../components/use-row-draft';

const tokensSchema = invokeChannels['connections:update-tokens'].args.omit({ id: true });
const NO_TOKENS = { accessToken: '', refreshToken: '' };

/**
 * "Paste new tokens" for a pasted-token connection: each field says what is wrong with it, in the
 * contract's words, under it. A refresh token is asked for only when the tokens were pasted with
 * their app's consumer key (withRefreshToken: the app renews with it); without that key no app could
 * use one. The dialog and the connection's row both use it; with onCancel (a
 * form opened by a button) Cancel and Escape close it, and it takes focus when it opens.
 * Half-typed tokens outlive the card leaving the DOM (a virtualized list, the narrow layout): useRowDraft.
 */
export function UpdateTokensForm({ connectionId, withRefreshToken = false, onSuccess, onCancel, report }: { connectionId: string; withRefreshToken?: boolean; onSuccess: (r: ActionResult) => void; onCancel?: () => void; report?: (result: ActionResult | null) => void }) {
  const [tokens, setTokens] = useRowDraft(`${connectionId}:tokens`, NO_TOKENS);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const first = useRef<HTMLFormElement>(null);
  const opened = Boolean(onCancel);
  useEffect(() => {
    if (opened) first.current?.querySelector('input')?.focus();
  }, [opened]);
  const edit = (name: keyof typeof tokens) => (e: { target: { value: string } }) => {
    setTokens({ ...tokens, [name]: e.target.value });
    setErrors(({ [name]: _fixed, ...rest }) => rest);
  };
  return (
    <form
      ref={first}
      className="card"
      onSubmit={(e) => e.preventDefault()}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && onCancel) {
          e.stopPropagation();
          onCancel();
        }
      }}
      aria-labelledby={`update-${connectionId}`}
      noValidate
    >
      <h3 id={`update-${connectionId}`}>Paste new tokens</h3>
      <Field
        label="New access token"
        type="password"
        value={tokens.accessToken}
        onChange={edit('accessToken')}
        error={errors['accessToken']}
        autoComplete="off"
        maxLength={capFor(LIMITS.secret)}
        hint={withRefreshToken ? undefined : 'To have the app renew this org itself, connect it again with Paste tokens and the consumer key of the app that issued the tokens.'}
      />
      {withRefreshToken && (
        <Field
          label="New refresh token"
          type="password"
          value={tokens.refreshToken}
          onChange={edit('refreshToken')}
          error={errors['refreshToken']}
          autoComplete="off"
          maxLength={capFor(LIMITS.secret)}
          hint="From the same app as before: the app renews this org with it, using the consumer key it already has."
        />
      )}
      <div className="row-actions">
        <ActionButton
          busyLabel="Checking with Salesforce…"
          resetKey={`${tokens.accessToken.length}:${tokens.refreshToken.length}`}
          report={report}
          run={async () => {
            const parsed = tokensSchema.safeParse({ accessToken: tokens.accessToken, ...(withRefreshToken ? { refreshToken: tokens.refreshToken } : {}) });
            if (!parsed.success) {
              setErrors(fieldErrors(parsed.error));
              return { ok: true };
            }
            const result = await window.api.updateTokens(connectionId, parsed.data.accessToken, parsed.data.refreshToken?.trim() || undefined);
            // A problem with one token is said under that token's field.
            if (!result.ok && result.field && result.field in tokens) {
              setErrors({ [result.field]: result.message });
              return { ok: true };
            }
            if (result.ok) setTokens(NO_TOKENS);
            return result;
          }}
          onDone={(r) => r.message !== undefined && onSuccess(r)}
        >
          Update
        </ActionButton>
        {onCancel && (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
