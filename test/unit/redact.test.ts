import { describe, expect, it } from 'vitest';
import { fingerprint, REDACTED, redactText, redactValue } from '../../main/core/index.js';

const accessToken = '00D5g000004ABCD!ARQAQK9x8fJ2mV7yYqLkC0jPzQeTn4sWbHdGuRiOa1Xv';
const refreshToken = '5Aep861TSESvWeug_xvFHRBTTbf_YrTWgEyjBJrdhwNGR7n6iBZq5';

describe('redaction', () => {
  it('removes Salesforce tokens and long opaque strings from text', () => {
    const text = redactText(`refresh failed for ${accessToken} with ${refreshToken}`);
    expect(text).not.toContain('ARQAQK9x8');
    expect(text).not.toContain('5Aep861');
    expect(text).toContain('refresh failed for');
  });

  it('masks fields whose names say secret, however deep', () => {
    const out = redactValue({ connection: { label: 'Acme', access_token: 'short', clientSecret: 'x', userKey: 'k' }, list: [{ refreshToken: 'r' }] });
    expect(out).toEqual({ connection: { label: 'Acme', access_token: REDACTED, clientSecret: REDACTED, userKey: REDACTED }, list: [{ refreshToken: REDACTED }] });
  });

  it('keeps error names and redacts error messages', () => {
    expect(redactValue(new TypeError(`bad ${accessToken}`))).toEqual({ name: 'TypeError', message: `bad ${REDACTED}` });
  });

  it('fingerprints show the last four characters only', () => {
    expect(fingerprint(refreshToken)).toBe('…n6iBZq5'.slice(0, 1) + refreshToken.slice(-4));
    expect(fingerprint('short')).toBe('…');
  });
});
