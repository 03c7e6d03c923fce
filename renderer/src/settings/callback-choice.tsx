/**
 * Which callback URL the user's own app lists, the exact URL to register (from the chosen kind and
 * port) with a Copy button, and what each kind needs. A problem Salesforce reports about the
 * callback is said here, under the choice that fixes it.
 */
import { useState } from 'react';
import { CALLBACK_KINDS, CALLBACK_NAMES, callbackUrlOf, type CallbackKind } from '../../../shared/callback-urls';
import { Field } from '../components/field';

const HINTS: Record<CallbackKind, string> = {
  loopback: 'A listener on this computer receives the sign-in. Connected Apps accept it; External Client Apps may take only https or app-link callbacks: then choose one of those.',
  'custom-scheme': 'The app claims this link when it is installed: the sign-in window catches it, and your browser hands it to the app.',
  https: 'Never loaded: only the app’s own sign-in window catches it, so this sign-in uses that window even if you chose your browser under General.',
};

export interface CallbackChoiceProps {
  readonly kind: CallbackKind;
  readonly port: string;
  readonly defaultPort: number;
  readonly portError: string | undefined;
  readonly error: string | undefined;
  readonly disabled: boolean;
  onKind(kind: CallbackKind): void;
  onPort(port: string): void;
}

/** The port typed, when it is a whole number in range; the configured one otherwise. */
function portOf(typed: string, fallback: number): number {
  const n = Number(typed);
  return typed.trim() !== '' && Number.isInteger(n) && n >= 1024 && n <= 65535 ? n : fallback;
}

export function CallbackChoice({ kind, port, defaultPort, portError, error, disabled, onKind, onPort }: CallbackChoiceProps) {
  const [copied, setCopied] = useState<string | null>(null);
  const chosenPort = portOf(port, defaultPort);
  const url = callbackUrlOf(kind, chosenPort);
  const copy = async () => {
    const result = await window.api.copyCallbackUrl(kind, kind === 'loopback' ? chosenPort : undefined).catch(() => ({ ok: false as const, message: 'The callback URL could not be copied: select it and copy it yourself.' }));
    setCopied(result.ok ? 'Copied.' : result.message);
  };
  return (
    <fieldset aria-describedby={['callback-url', 'callback-hint', ...(error ? ['callback-error'] : [])].join(' ')}>
      <legend>Callback URL your app lists</legend>
      {CALLBACK_KINDS.map((k) => (
        <label key={k} className="choice">
          <input type="radio" name="callback" value={k} checked={kind === k} onChange={() => (onKind(k), setCopied(null))} disabled={disabled} />
          <span>{CALLBACK_NAMES[k]}</span>
        </label>
      ))}
      {kind === 'loopback' && <Field label="Callback port (optional)" inputMode="numeric" value={port} onChange={(e) => (onPort(e.target.value), setCopied(null))} error={portError} disabled={disabled} hint={`Default ${defaultPort}.`} />}
      <p className="callback-url">
        <span>Register exactly</span> <code id="callback-url">{url}</code>{' '}
        <button type="button" onClick={() => void copy()} aria-label={`Copy the callback URL ${url}`}>
          Copy
        </button>{' '}
        <span role="status" className="hint">
          {copied}
        </span>
      </p>
      <small id="callback-hint" className="hint">
        {HINTS[kind]}
      </small>
      {error && (
        <small id="callback-error" className="error-text" role="alert">
          {error}
        </small>
      )}
    </fieldset>
  );
}
