// The agent's access token: a client-credentials grant authenticated with a private_key_jwt client
// assertion (RFC 7523) signed by the agent's own key, cached until shortly before it expires.
// Expiry is counted from `expires_in` on the agent's own clock, not from the token's `exp` claim: an
// access token is opaque to its client (RFC 6749 §1.4), and a relative lifetime is immune to a skew
// between the agent's clock and the cloud's.

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
  /**
   * Reads the agent's client id and key again (from its state directory). Called when the token
   * endpoint refuses them: a repair (`cloudsync agent install` run again) replaces both while the
   * service runs.
   */
  reloadKey?: () => Promise<AgentClientKey | undefined>;
}

/** The client id and the private key that signs its assertions. */
export interface AgentClientKey {
  clientId: string;
  privateKey: KeyObject;
}

/**
 * Gets and caches tokens; `invalidate()` after a 401 forces a new one. A cached token is renewed
 * before use once less than a minute (or, for short lifetimes, half of it) remains.
 */
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
  let client: AgentClientKey = { clientId: options.clientId, privateKey: options.privateKey };

  /** A token; when the key is refused and a different key is on disk, once more with that one. */
  async function fetchToken(signal?: AbortSignal): Promise<string> {
    try {
      return await fetchWith(client, signal);
    } catch (err) {
      if (!(err instanceof UplinkError) || err.code !== 'UNAUTHENTICATED' || !options.reloadKey) throw err;
      const stored = await options.reloadKey().catch(() => undefined);
      if (!stored || stored.privateKey.equals(client.privateKey)) throw err;
      client = stored;
      return fetchWith(client, signal);
    }
  }

  async function fetchWith(as: AgentClientKey, signal?: AbortSignal): Promise<string> {
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: as.clientId,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: await clientAssertion({ ...options, ...as }),
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
