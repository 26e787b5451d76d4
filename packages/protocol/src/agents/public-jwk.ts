import { z } from 'zod';

const b64url = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[A-Za-z0-9_-]+$/, 'base64url');

const jwkMeta = {
  kid: z.string().min(1).max(128).optional(),
  use: z.literal('sig').optional(),
  alg: z.enum(['RS256', 'PS256', 'ES256', 'ES384', 'RSA-OAEP-256', 'ECDH-ES']).optional(),
};

/**
 * The agent's public key as a JWK: it signs the agent's private_key_jwt client assertions, and the
 * cloud encrypts writeback secrets to it. Strict: a JWK carrying private members (`d`, `p`, …) is
 * refused rather than silently stripped.
 */
export const publicJwkSchema = z.discriminatedUnion('kty', [
  z.strictObject({
    kty: z.literal('RSA'),
    n: b64url(1024), // up to 6144-bit moduli
    e: b64url(16),
    ...jwkMeta,
  }),
  z.strictObject({
    kty: z.literal('EC'),
    crv: z.enum(['P-256', 'P-384', 'P-521']),
    x: b64url(96),
    y: b64url(96),
    ...jwkMeta,
  }),
]);
export type PublicJwk = z.infer<typeof publicJwkSchema>;
