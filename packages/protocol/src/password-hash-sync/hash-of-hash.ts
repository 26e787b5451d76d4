import { pbkdf2, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { md4 } from './md4.js';

const pbkdf2Async = promisify(pbkdf2);

/** The scheme tag of a password-hash-sync envelope: PBKDF2-HMAC-SHA256 over the NT hash's hex. */
export const PHS_SCHEME = 'pbkdf2-sha256-nt';
/** Iterations Microsoft's agent uses; the envelope records it so it can change later. */
export const PHS_ITERATIONS = 1000;
export const PHS_SALT_BYTES = 10;
export const PHS_KEY_BYTES = 32;

/** NT hash of a password: MD4 over its UTF-16LE encoding (16 bytes). */
export function ntHash(password: string): Buffer {
  return md4(Buffer.from(password, 'utf16le'));
}

/** The PBKDF2 input Microsoft's agent uses: the NT hash as 32 uppercase hex characters, UTF-16LE. */
function hexInput(nt: Uint8Array): Buffer {
  return Buffer.from(Buffer.from(nt).toString('hex').toUpperCase(), 'utf16le');
}

/**
 * Derives the self-describing hash-of-hash `$pbkdf2-sha256-nt$i=1000$<salt b64>$<key b64>` from an NT hash.
 * Runs on node's thread pool.
 * @example
 *   const envelope = await hashOfHash(ntHash('Bobby!Pass123'));
 */
export async function hashOfHash(
  nt: Uint8Array,
  salt: Buffer = randomBytes(PHS_SALT_BYTES),
  iterations = PHS_ITERATIONS,
): Promise<string> {
  const input = hexInput(nt);
  try {
    const key = await pbkdf2Async(input, salt, iterations, PHS_KEY_BYTES, 'sha256');
    return `$${PHS_SCHEME}$i=${iterations}$${salt.toString('base64')}$${key.toString('base64')}`;
  } finally {
    input.fill(0);
  }
}

/** The parts of a hash-of-hash envelope, or undefined when `stored` is not one. */
export function parseHashOfHash(
  stored: string,
): { iterations: number; salt: Buffer; key: Buffer } | undefined {
  const m = /^\$pbkdf2-sha256-nt\$i=(\d{1,7})\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/.exec(stored);
  if (!m?.[1] || !m[2] || !m[3]) return undefined;
  const iterations = Number(m[1]);
  if (iterations < 1) return undefined;
  return { iterations, salt: Buffer.from(m[2], 'base64'), key: Buffer.from(m[3], 'base64') };
}

/** Checks a typed password against a hash-of-hash envelope in constant time. */
export async function verifyHashOfHash(password: string, stored: string): Promise<boolean> {
  const parsed = parseHashOfHash(stored);
  if (!parsed) return false;
  const nt = ntHash(password);
  const input = hexInput(nt);
  nt.fill(0);
  try {
    const key = await pbkdf2Async(input, parsed.salt, parsed.iterations, parsed.key.length, 'sha256');
    return key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
  } finally {
    input.fill(0);
  }
}

/** Synchronous variant of {@link hashOfHash} for benchmarks measuring the single-thread floor. */
export function hashOfHashSync(nt: Uint8Array, salt: Buffer, iterations = PHS_ITERATIONS): Buffer {
  return pbkdf2Sync(hexInput(nt), salt, iterations, PHS_KEY_BYTES, 'sha256');
}
