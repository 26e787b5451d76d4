// The agent's access token: a client-credentials grant authenticated with a private_key_jwt client
// assertion (RFC 7523) signed by the agent's own key, cached until shortly before it expires.

import type { KeyObject } from 'node:crypto';
import { randomUUID } from 'node:crypto';
import { errorBody } from '@cloudsync/protocol';
import { SignJWT } from 'jose';
import { UplinkError, unreachable } from './errors.js';
import type { HttpRequest, HttpResponse } from './http.js';

export interface TokenSourceOptions {
  clientId: string;
  tokenEndpoint: string;
  privateKey: KeyObject;
  send: (req: HttpRequest) => Promise<HttpResponse>;
  now?: () => Date;
}

/** Gets and caches tokens; `invalidate()` after a 401 forces a new one. */
export interface TokenSource {
  token(signal?: AbortSignal): Promise<string>;
  invalidate(): void;
}

function algOf(key: KeyObject): string {
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  const curve = key.asymmetricKeyDetails?.namedCurve;
  return curve === 'secp384r1' ? 'ES384' : 'ES256';
}

/** A client assertion: `iss = sub = clientId`, `aud` = the token endpoint, one-time `jti`, 2-minute life. */
export async function clientAssertion(options: Omit<TokenSourceOptions, 'send'>): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: algOf(options.privateKey) })
    .setIssuer(options.clientId)
    .setSubject(options.clientId)
    .setAudience(options.tokenEndpoint)
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime('2m')
    .sign(options.privateKey);
}

/** A token source for the agent (see {@link TokenSource}). */
export function createTokenSource(options: TokenSourceOptions): TokenSource {
  const now = options.now ?? (() => new Date());
  let cached: { token: string; expiresAt: number } | undefined;
  let inflight: Promise<string> | undefined;

  async function fetchToken(signal?: AbortSignal): Promise<string> {
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: options.clientId,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: await clientAssertion(options),
    }).toString();
    let res: HttpResponse;
    try {
      res = await options.send({
        method: 'POST',
        url: options.tokenEndpoint,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
        ...(signal ? { signal } : {}),
      });
    } catch (err) {
      throw unreachable('token endpoint', err);
    }
    let json: { access_token?: unknown; expires_in?: unknown; error?: unknown; error_description?: unknown } =
      {};
    try {
      json = JSON.parse(res.text);
    } catch {
      // handled below: no token
    }
    if (res.status >= 500) throw unreachable('token endpoint', new Error(`HTTP ${res.status}`));
    if (res.status !== 200 || typeof json.access_token !== 'string') {
      const why =
        typeof json.error_description === 'string'
          ? json.error_description
          : String(json.error ?? res.status);
      throw new UplinkError(
        errorBody('UNAUTHENTICATED', {
          message: `The token endpoint refused the agent's key (${why.slice(0, 200)}): re-run \`cloudsync agent install\` to repair the registration.`,
        }),
        res.status,
      );
    }
    const ttl = typeof json.expires_in === 'number' ? json.expires_in : 300;
    // Renew a minute early (or at half-life for short tokens), so a call never carries an expiring token.
    cached = { token: json.access_token, expiresAt: now().getTime() + Math.max(ttl / 2, ttl - 60) * 1000 };
    return json.access_token;
  }

  return {
    async token(signal) {
      if (cached && cached.expiresAt > now().getTime()) return cached.token;
      inflight ??= fetchToken(signal).finally(() => {
        inflight = undefined;
      });
      return inflight;
    },
    invalidate() {
      cached = undefined;
    },
  };
}
