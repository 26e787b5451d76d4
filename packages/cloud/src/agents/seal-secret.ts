import { type PublicJwk, type WritebackSecret, writebackSecretSchema } from '@cloudsync/protocol';
import { CompactEncrypt, importJWK } from 'jose';

/** Key management per key type: ECDH-ES for EC keys, RSA-OAEP-256 for RSA keys; content A256GCM. */
const KEY_ALG = { EC: 'ECDH-ES', RSA: 'RSA-OAEP-256' } as const;

/**
 * Encrypts a writeback secret to an agent's public key (compact JWE), so the password never travels
 * or rests in clear: only the agent's private key opens it.
 * @example
 *   const encrypted = await sealForAgent(agent.publicJwk, { jobId, newPassword });
 */
export async function sealForAgent(publicJwk: PublicJwk, secret: WritebackSecret): Promise<string> {
  const alg = KEY_ALG[publicJwk.kty];
  const { alg: _alg, use: _use, ...jwk } = publicJwk;
  const key = await importJWK(jwk, alg);
  const plaintext = new TextEncoder().encode(JSON.stringify(writebackSecretSchema.parse(secret)));
  return new CompactEncrypt(plaintext).setProtectedHeader({ alg, enc: 'A256GCM', cty: 'json' }).encrypt(key);
}
