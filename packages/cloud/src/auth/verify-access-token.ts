import { createLocalJWKSet, errors, type JWK, type JWTPayload, jwtVerify } from 'jose';
import { GRAPH_RESOURCE } from '../sign-in/resources.js';
import { SIGNING_ALG } from '../sign-in/signing-keys.js';

/** Why a bearer token was refused, in words safe to return to the caller. */
export class TokenRefused extends Error {
  override name = 'TokenRefused';
}

/** The claims of an admin API access token that the API relies on. */
export interface AccessTokenClaims extends JWTPayload {
  sub: string;
  client_id: string;
  /** `user` for a person's token, `app` for client credentials (Entra's claim). */
  idtyp: 'user' | 'app';
}

/**
 * Builds a verifier of admin API access tokens, checked locally against the tenant's public keys:
 * signature, `typ: at+jwt`, issuer, audience, expiry.
 * @example
 *   const verify = createAccessTokenVerifier({ issuer, keys: publicJwks(keys.signing).keys });
 *   const claims = await verify(token); // throws TokenRefused
 */
export function createAccessTokenVerifier(options: {
  issuer: string;
  keys: JWK[];
  audience?: string;
}): (token: string) => Promise<AccessTokenClaims> {
  const jwks = createLocalJWKSet({ keys: options.keys });
  return async (token) => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, jwks, {
        issuer: options.issuer,
        audience: options.audience ?? GRAPH_RESOURCE,
        typ: 'at+jwt',
        algorithms: [SIGNING_ALG],
        requiredClaims: ['exp', 'iat', 'sub'],
      }));
    } catch (err) {
      throw new TokenRefused(reason(err), { cause: err });
    }
    const { sub, client_id: clientId, idtyp } = payload;
    if (typeof sub !== 'string' || typeof clientId !== 'string' || (idtyp !== 'user' && idtyp !== 'app')) {
      throw new TokenRefused('Access token validation failure.');
    }
    return { ...payload, sub, client_id: clientId, idtyp };
  };
}

function reason(err: unknown): string {
  if (err instanceof errors.JWTExpired) return 'Lifetime validation failed, the token is expired.';
  if (err instanceof errors.JWTClaimValidationFailed && err.claim === 'aud') {
    return 'Access token validation failure. Invalid audience.';
  }
  if (err instanceof errors.JWTClaimValidationFailed && err.claim === 'iss') {
    return 'Access token validation failure. Invalid issuer.';
  }
  if (err instanceof errors.JWSSignatureVerificationFailed || err instanceof errors.JWKSNoMatchingKey) {
    return 'Access token validation failure. Invalid signature.';
  }
  return 'Access token validation failure.';
}
