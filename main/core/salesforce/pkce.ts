import { createHash, randomBytes } from 'node:crypto';

/** A one-time, high-entropy value (256 bits), URL-safe: for `state` and the PKCE verifier. */
export function randomUrlSafe(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** PKCE S256: base64url(SHA-256(verifier)). */
export function codeChallengeS256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}
