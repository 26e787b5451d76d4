import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { calculateJwkThumbprint, type JWK } from 'jose';
import type { Kysely } from 'kysely';
import type { SignInDatabase, SignInTables } from './schema.js';

/** The key material the provider runs with: private signing JWKs and cookie secrets, newest first. */
export interface SignInKeys {
  signing: JWK[];
  cookieSecrets: string[];
}

/** The algorithm of every signing key: RS256 is what every OpenID client accepts by default. */
export const SIGNING_ALG = 'RS256';

async function newSigningKey(): Promise<JWK> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk: JWK = privateKey.export({ format: 'jwk' });
  return { ...jwk, kid: await calculateJwkThumbprint(jwk), alg: SIGNING_ALG, use: 'sig' };
}

/**
 * Loads the tenant's signing keys and cookie secrets, generating and persisting them the first time
 * (tenant initialisation). Safe to call on every start: a second process racing the first keeps
 * whichever rows landed, because both read back what is stored.
 * @example
 *   const keys = await ensureSignInKeys(db);
 *   new Provider(issuer, { jwks: { keys: keys.signing }, cookies: { keys: keys.cookieSecrets } });
 */
export async function ensureSignInKeys(db: Kysely<SignInDatabase>): Promise<SignInKeys> {
  const existing = await loadSignInKeys(db);
  if (existing.signing.length > 0 && existing.cookieSecrets.length > 0) return existing;
  const now = new Date().toISOString();
  const rows: SignInTables['sign_in_keys'][] = [];
  if (existing.signing.length === 0) {
    const jwk = await newSigningKey();
    rows.push({ kid: jwk.kid ?? '', purpose: 'signing', material: JSON.stringify(jwk), created_at: now });
  }
  if (existing.cookieSecrets.length === 0) {
    const secret = randomBytes(32).toString('base64url');
    rows.push({
      kid: `cookie-${randomBytes(8).toString('hex')}`,
      purpose: 'cookie',
      material: secret,
      created_at: now,
    });
  }
  await db
    .insertInto('sign_in_keys')
    .values(rows)
    .onConflict((oc) => oc.doNothing())
    .execute();
  return loadSignInKeys(db);
}

/**
 * Adds a new signing key. The provider signs with the newest key from its next start; older keys
 * stay published (and accepted by the admin API) until `retireSigningKeys` removes them, so tokens
 * signed before the rotation keep working until they expire.
 * @example
 *   const kid = await rotateSigningKey(db); // then restart the cloud
 */
export async function rotateSigningKey(db: Kysely<SignInDatabase>, now = new Date()): Promise<string> {
  const jwk = await newSigningKey();
  const kid = jwk.kid ?? '';
  await db
    .insertInto('sign_in_keys')
    .values({ kid, purpose: 'signing', material: JSON.stringify(jwk), created_at: now.toISOString() })
    .execute();
  return kid;
}

/** Removes signing keys created before `before`, always keeping the newest one. Returns their kids. */
export async function retireSigningKeys(db: Kysely<SignInDatabase>, before: Date): Promise<string[]> {
  const keys = await db
    .selectFrom('sign_in_keys')
    .select(['kid', 'created_at'])
    .where('purpose', '=', 'signing')
    .orderBy('created_at', 'desc')
    .orderBy('kid')
    .execute();
  const retired = keys
    .slice(1)
    .filter((k) => k.created_at < before.toISOString())
    .map((k) => k.kid);
  if (retired.length > 0) await db.deleteFrom('sign_in_keys').where('kid', 'in', retired).execute();
  return retired;
}

async function loadSignInKeys(db: Kysely<SignInDatabase>): Promise<SignInKeys> {
  const rows = await db
    .selectFrom('sign_in_keys')
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('kid')
    .execute();
  return {
    // The material was written by newSigningKey as a JWK object; JSON.parse returns unknown structure.
    signing: rows.filter((r) => r.purpose === 'signing').map((r) => JSON.parse(r.material) as JWK),
    cookieSecrets: rows.filter((r) => r.purpose === 'cookie').map((r) => r.material),
  };
}

/** The public half of signing keys, as published at the JWKS endpoint. */
export function publicJwks(signing: readonly JWK[]): { keys: JWK[] } {
  return {
    keys: signing.map(({ kty, n, e, crv, x, y, kid, alg, use }) => {
      const pub: JWK = { kty, kid, alg, use };
      if (n && e) Object.assign(pub, { n, e });
      if (crv && x) Object.assign(pub, y ? { crv, x, y } : { crv, x });
      return pub;
    }),
  };
}
