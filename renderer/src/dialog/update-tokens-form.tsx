import { useState } from 'react';
import { invokeChannels, type ActionResult } from '../../../preload/contract';
import { ActionButton } from '../components/action-button';
import { Field } from '../components/field';
import { fieldErrors } from '../components/field-errors';

const tokensSchema = invokeChannels['connections:update-tokens'].args.omit({ id: true });

/**
 * "Paste new tokens": each field says what is wrong with it, in the contract's words, under it.
 * The dialog and the connection's row both use it (a row passes onCancel: the form closes there).
 */
export function UpdateTokensForm({ connectionId, onSuccess, onCancel }: { connectionId: string; onSuccess: (r: ActionResult) => void; onCancel?: () => void }) {
  const [tokens, setTokens] = useState({ accessToken: '', refreshToken: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const edit = (name: keyof typeof tokens) => (e: { target: { value: string } }) => {
    setTokens({ ...tokens, [name]: e.target.value });
    setErrors(({ [name]: _fixed, ...rest }) => rest);
  };
  return (
    <form className="card" onSubmit={(e) => e.preventDefault()} aria-labelledby={`update-${connectionId}`} noValidate>
      <h3 id={`update-${connectionId}`}>Paste new tokens</h3>
      <Field label="New access token" type="password" value={tokens.accessToken} onChange={edit('accessToken')} error={errors['accessToken']} autoComplete="off" />
      <Field label="New refresh token (optional)" type="password" value={tokens.refreshToken} onChange={edit('refreshToken')} error={errors['refreshToken']} autoComplete="off" />
      <ActionButton
        busyLabel="Checking with Salesforce…"
        resetKey={`${tokens.accessToken.length}:${tokens.refreshToken.length}`}
        run={async () => {
          const parsed = tokensSchema.safeParse({ accessToken: tokens.accessToken, ...(tokens.refreshToken ? { refreshToken: tokens.refreshToken } : {}) });
          if (!parsed.success) {
            setErrors(fieldErrors(parsed.error));
            return { ok: true };
          }
          const result = await window.api.updateTokens(connectionId, parsed.data.accessToken, parsed.data.refreshToken);
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
