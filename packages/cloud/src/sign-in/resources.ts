import type { ResourceServer } from 'oidc-provider';
import { SIGNING_ALG } from './signing-keys.js';

/** The resource indicator (and token audience) of the admin API. */
export const GRAPH_RESOURCE = 'urn:cloudsync:graph';

/** The one scope of the admin API: act on the directory as the signed-in user (or as the app). */
export const GRAPH_SCOPE = 'Directory.AccessAsUser.All';

/** Lifetime of admin API access tokens, in seconds. */
export const ACCESS_TOKEN_TTL = 3600;

/** The admin API as a resource server: its tokens are JWTs the API verifies locally. */
export function graphResourceServer(): ResourceServer {
  return {
    scope: GRAPH_SCOPE,
    audience: GRAPH_RESOURCE,
    accessTokenFormat: 'jwt',
    accessTokenTTL: ACCESS_TOKEN_TTL,
    jwt: { sign: { alg: SIGNING_ALG } },
  };
}
