/**
 * A connection sealed for its next keeper (hand-over from the tray to a keeper, and hand-back):
 * its record, its secrets and the Data2CRM user key, encrypted with AES-256-GCM under a key
 * derived by scrypt from a one-time passphrase. The same sealed text travels over a keeper's local
 * API or as a file the operator copies; the passphrase goes another way (shown once, typed once).
 * Each package has its own id: a keeper takes a package once, and its receipt (derived from the
 * passphrase and the id) proves to the sender that the receiver opened this very package.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes, randomInt, scryptSync, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { SEALED_MAX } from '../../../preload/contract.js';
import { err, ok, type Result } from '../result.js';
import { connectionRecordSchema } from '../settings/schema.js';

const MAGIC = 'D2CKEEP1';
const SECRET = z.string().min(1).max(4096);
/** scrypt's cost: about 50 ms here, once per hand-over; 2^15 × 8 × 128 bytes = 32 MB of memory. */
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;
/** A sealed package is a few KB; anything far larger is not one (the IPC contract bounds it alike). */
export const MAX_PACKAGE_CHARS = SEALED_MAX;

export const handoverPackageSchema = z.strictObject({
  v: z.literal(1),
  id: z.uuid(),
  /** Who sealed it and for whom (names as people call them: "the tray on laptop-7", "keeper-1"). */
  from: z.string().min(1).max(100),
  to: z.string().min(1).max(100),
  createdAt: z.number().int().positive(),
  record: connectionRecordSchema,
  secrets: z.strictObject({ accessToken: SECRET, refreshToken: SECRET.optional(), clientSecret: SECRET.optional() }),
  /** The receiver needs it to push tokens to Data2CRM (a fresh keeper may not have it yet). */
  userKey: z.string().regex(/^[\w.~-]{8,200}$/).optional(),
});
export type HandoverPackage = z.infer<typeof handoverPackageSchema>;

export type OpenFailure = 'not-a-package' | 'wrong-passphrase' | 'damaged';

/** 24 characters from 32 (no 0/O, 1/I): 120 bits, in groups of four to read aloud or type. */
export function newPassphrase(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const chars = Array.from({ length: 24 }, () => alphabet[randomInt(alphabet.length)]);
  return chars.join('').replace(/(.{4})(?!$)/g, '$1-');
}

const normalize = (passphrase: string) => passphrase.replace(/[\s-]/g, '').toUpperCase();
const derive = (passphrase: string, salt: Buffer) => scryptSync(normalize(passphrase), salt, 32, SCRYPT);

/** The sealed text: MAGIC, then salt, iv, tag and ciphertext as base64url, dot-separated. */
export function sealPackage(pkg: HandoverPackage, passphrase: string): string {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', derive(passphrase, salt), iv);
  cipher.setAAD(Buffer.from(MAGIC));
  const data = Buffer.concat([cipher.update(JSON.stringify(handoverPackageSchema.parse(pkg)), 'utf8'), cipher.final()]);
  return [MAGIC, salt, iv, cipher.getAuthTag(), data].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
}

/** Opens a sealed package; every failure is a plain kind (the text and the passphrase are input). */
export function openPackage(text: string, passphrase: string): Result<HandoverPackage, OpenFailure> {
  const parts = text.trim().split('.');
  if (text.length > MAX_PACKAGE_CHARS || parts.length !== 5 || parts[0] !== MAGIC) return err('not-a-package');
  const [salt, iv, tag, data] = parts.slice(1).map((part) => Buffer.from(part, 'base64url')) as [Buffer, Buffer, Buffer, Buffer];
  if (salt.length !== 16 || iv.length !== 12 || tag.length !== 16) return err('not-a-package');
  let plain: string;
  try {
    const decipher = createDecipheriv('aes-256-gcm', derive(passphrase, salt), iv);
    decipher.setAAD(Buffer.from(MAGIC));
    decipher.setAuthTag(tag);
    plain = Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8');
  } catch {
    return err('wrong-passphrase');
  }
  try {
    const parsed = handoverPackageSchema.safeParse(JSON.parse(plain));
    return parsed.success ? ok(parsed.data) : err('damaged');
  } catch {
    return err('damaged');
  }
}

/** Crockford's base32: letters and digits only (a code that began with "-" read as an option), none that reads as another. */
const RECEIPT_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** What the receiver shows after taking the package, and the sender checks: 8 letters and digits (40 bits). */
export function receiptFor(id: string, passphrase: string): string {
  let bits = createHmac('sha256', normalize(passphrase)).update(`received ${id}`).digest().readUIntBE(0, 5);
  let receipt = '';
  for (let i = 0; i < 8; i++) {
    receipt = RECEIPT_ALPHABET[bits % 32]! + receipt;
    bits = Math.floor(bits / 32);
  }
  return receipt;
}

export function isReceipt(id: string, passphrase: string, receipt: string): boolean {
  const expected = Buffer.from(receiptFor(id, passphrase));
  // As Crockford reads it: O is 0, I and L are 1.
  const given = Buffer.from(receipt.trim().toUpperCase().replace(/O/g, '0').replace(/[IL]/g, '1'));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Plain words for each way opening can fail. */
export const OPEN_FAILURE_WORDS: Record<OpenFailure, string> = {
  'not-a-package': 'That is not a sealed connection (data2crm-keeper hand-over) or it was cut short.',
  'wrong-passphrase': 'The passphrase does not open this package (check it, or ask for a new hand-over).',
  damaged: 'The package opened but its content is not a connection this version understands.',
};
