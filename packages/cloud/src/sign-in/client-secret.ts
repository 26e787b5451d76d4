import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

// Client secrets are 256 random bits the cloud generates, not something a person chose, so a fast
// hash is enough: nobody can guess the preimage (GitHub stores its tokens the same way). A slow
// hash would only make every token request cost what a password sign-in costs.

/** A new client secret, shown once to whoever registers the app. */
export function generateClientSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** The stored form of a client secret, self-describing: `$sha256$<base64url digest>`. */
export function hashClientSecret(secret: string): string {
  return `$sha256$${createHash('sha256').update(secret, 'utf8').digest('base64url')}`;
}

/** Compares a presented secret with its stored hash in constant time. */
export function verifyClientSecret(presented: string, stored: string | undefined): boolean {
  const m = stored ? /^\$sha256\$([A-Za-z0-9_-]{43})$/.exec(stored) : null;
  if (!m?.[1]) return false;
  const expected = Buffer.from(m[1], 'base64url');
  const actual = createHash('sha256').update(presented, 'utf8').digest();
  return timingSafeEqual(actual, expected);
}
