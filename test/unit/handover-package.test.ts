/** A connection sealed for its next keeper: opens only with its passphrase, whole, and proves its receipt. */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isReceipt, newPassphrase, openPackage, receiptFor, sealPackage, type HandoverPackage } from '../../main/core/handover/package.js';
import { connectionRecord } from '../support/many-connections.js';

const pkg = (): HandoverPackage => ({
  v: 1,
  id: randomUUID(),
  from: 'the tray on laptop-7',
  to: 'keeper-1',
  createdAt: Date.now(),
  record: connectionRecord('Org 1', { mode: 'external', connectedApp: { clientId: 'app', callbackPort: 1717 } }),
  secrets: { accessToken: '00D000000000001!AQ.access-token-value', refreshToken: '5Aep861.refresh-token-value' },
  userKey: 'sbx-user-key-4f1c9a7e',
});

describe('hand-over package', () => {
  it('opens with its passphrase (typed in any case, with or without dashes) into exactly what was sealed, and its text shows no secret', () => {
    const passphrase = newPassphrase();
    expect(passphrase).toMatch(/^([A-HJ-NP-Z2-9]{4}-){5}[A-HJ-NP-Z2-9]{4}$/);
    const sealed = pkg();
    const text = sealPackage(sealed, passphrase);
    expect(text.startsWith('D2CKEEP1.')).toBe(true);
    for (const secret of [sealed.secrets.accessToken, sealed.secrets.refreshToken!, sealed.userKey!]) expect(text).not.toContain(secret);
    expect(openPackage(text, passphrase)).toEqual({ ok: true, value: sealed });
    expect(openPackage(text, passphrase.toLowerCase().replace(/-/g, ' '))).toEqual({ ok: true, value: sealed });
  });

  it('another passphrase, a changed byte, a cut or foreign text: refused, each with its kind', () => {
    const passphrase = newPassphrase();
    const text = sealPackage(pkg(), passphrase);
    expect(openPackage(text, newPassphrase())).toEqual({ ok: false, error: 'wrong-passphrase' });
    const parts = text.split('.');
    parts[4] = `${parts[4]!.slice(0, -2)}${parts[4]!.endsWith('A') ? 'B' : 'A'}A`;
    expect(openPackage(parts.join('.'), passphrase)).toEqual({ ok: false, error: 'wrong-passphrase' });
    expect(openPackage(text.slice(0, 40), passphrase)).toEqual({ ok: false, error: 'not-a-package' });
    expect(openPackage('{"v":1}', passphrase)).toEqual({ ok: false, error: 'not-a-package' });
    expect(() => sealPackage({ ...pkg(), record: { ...pkg().record, id: 'NOT AN ID' } }, passphrase)).toThrow();
  });

  it('the receipt proves the receiver opened this very package', () => {
    const passphrase = newPassphrase();
    const id = randomUUID();
    const receipt = receiptFor(id, passphrase);
    expect(receipt).toMatch(/^[0-9A-HJKMNP-TV-Z]{8}$/);
    expect(isReceipt(id, passphrase, receipt.toLowerCase())).toBe(true);
    expect(isReceipt(id, passphrase, receipt.replace(/0/g, 'O').replace(/1/g, 'l'))).toBe(true);
    // Letters and digits only, whatever the hand-over: never a code the command line takes for an option.
    for (let i = 0; i < 2_000; i++) expect(receiptFor(randomUUID(), passphrase)).toMatch(/^[0-9A-Z]{8}$/);
    expect(isReceipt(randomUUID(), passphrase, receipt)).toBe(false);
    expect(isReceipt(id, newPassphrase(), receipt)).toBe(false);
    expect(isReceipt(id, passphrase, 'short')).toBe(false);
  });
});
