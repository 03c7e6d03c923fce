import { useState } from 'react';
import { invokeChannels, type ActionResult } from '../../../preload/contract';
import { ActionButton } from '../components/action-button';
import { Field } from '../components/field';
import { fieldErrors } from '../components/field-errors';

const tokensSchema = invokeChannels['connections:update-tokens'].args.omit({ id: true, refreshToken: true });

/**
 * "Paste new tokens" for a pasted-token connection: each field says what is wrong with it, in the
 * contract's words, under it. No refresh token is asked for: such a connection has no app whose
 * consumer key could use one. The dialog and the connection's row both use it (a row passes
 * onCancel: the form closes there).
 */
export function UpdateTokensForm({ connectionId, onSuccess, onCancel }: { connectionId: string; onSuccess: (r: ActionResult) => void; onCancel?: () => void }) {
  const [tokens, setTokens] = useState({ accessToken: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const edit = (name: keyof typeof tokens) => (e: { target: { value: string } }) => {
    setTokens({ ...tokens, [name]: e.target.value });
    setErrors(({ [name]: _fixed, ...rest }) => rest);
  };
  return (
    <form className="card" onSubmit={(e) => e.preventDefault()} aria-labelledby={`update-${connectionId}`} noValidate>
      <h3 id={`update-${connectionId}`}>Paste new tokens</h3>
      <Field
        label="New access token"
        type="password"
        value={tokens.accessToken}
        onChange={edit('accessToken')}
        error={errors['accessToken']}
        autoComplete="off"
        hint="To have the app renew this org itself, connect it again with Paste tokens and the consumer key of the app that issued the tokens."
      />
      <ActionButton
        busyLabel="Checking with Salesforce…"
        resetKey={`${tokens.accessToken.length}`}
        run={async () => {
          const parsed = tokensSchema.safeParse({ accessToken: tokens.accessToken });
          if (!parsed.success) {
            setErrors(fieldErrors(parsed.error));
            return { ok: true };
          }
          const result = await window.api.updateTokens(connectionId, parsed.data.accessToken);
          // A problem with one token is said under that token's field.
          if (!result.ok && result.field && result.field in tokens) {
            setErrors({ [result.field]: result.message });
            return { ok: true };
          }
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
    </form>
  );
}
