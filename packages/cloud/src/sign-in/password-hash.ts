import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { parseHashOfHash, verifyHashOfHash } from '@cloudsync/protocol';

// Cloud-only users: scrypt, stored self-describing as $scrypt$ln=15,r=8,p=1$<salt>$<key>.
// Synced users: the hash-of-hash envelope sent by the agent ($pbkdf2-sha256-nt$...).
const N_LOG2 = 15;
const R = 8;
const P = 1;
const KEY_BYTES = 32;

function scryptAsync(password: string, salt: Buffer, ln: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, KEY_BYTES, { N: 2 ** ln, r, p, maxmem: 256 * 2 ** ln * r }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

/**
 * Hashes a cloud-only user's password with scrypt into a self-describing string.
 * @example
 *   const stored = await hashPassword('correct horse battery staple');
 *   await verifyPassword('correct horse battery staple', stored); // true
 */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, N_LOG2, R, P);
  return `$scrypt$ln=${N_LOG2},r=${R},p=${P}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** Verifies a typed password against any stored scheme cloudsync knows, in constant time. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  if (parseHashOfHash(stored)) return verifyHashOfHash(password, stored);
  const m = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/.exec(
    stored,
  );
  if (!m?.[1] || !m[2] || !m[3] || !m[4] || !m[5]) return false;
  const expected = Buffer.from(m[5], 'base64');
  const key = await scryptAsync(
    password,
    Buffer.from(m[4], 'base64'),
    Number(m[1]),
    Number(m[2]),
    Number(m[3]),
  );
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** The scheme name of a stored hash (`scrypt`, `pbkdf2-sha256-nt`), for display and policy. */
export function passwordScheme(stored: string): string | undefined {
  return /^\$([a-z0-9-]+)\$/.exec(stored)?.[1];
}
