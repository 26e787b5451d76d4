// Bearer tokens for tests that call the admin API of a running cloud: for a user (UPN + password,
// through the CLI's password grant) or for an app registration (client credentials).
import { GRAPH_RESOURCE, issuerOf, signInAsAdmin } from '../../packages/cli/src/login-client.js';

/**
 * An admin API access token for a user, as `cloudsync login --password-stdin` gets it.
 * @example
 *   const token = await userToken(cloudUrl, { username: 'admin@contoso.cloudsync.test', password });
 *   await fetch(`${cloudUrl}/v1.0/users`, { headers: { authorization: `Bearer ${token}` } });
 */
export async function userToken(
  cloudUrl: string,
  user: { username: string; password: string },
): Promise<string> {
  const { accessToken } = await signInAsAdmin({ cloudUrl, ...user });
  return accessToken;
}

/**
 * An admin API access token for an app registration (client credentials, client secret).
 * @example
 *   const { clientId, clientSecret } = await auth.apps.create({ ..., credential: { type: 'secret' }, grantTypes: ['client_credentials'] });
 *   const token = await appToken(cloudUrl, { clientId, clientSecret });
 */
export async function appToken(
  cloudUrl: string,
  app: { clientId: string; clientSecret: string },
): Promise<string> {
  const res = await fetch(`${issuerOf(cloudUrl)}/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${encodeURIComponent(app.clientId)}:${encodeURIComponent(app.clientSecret)}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', resource: GRAPH_RESOURCE }).toString(),
  });
  // The token endpoint answers a JSON object, errors included (RFC 6749 §5.2).
  const body = (await res.json()) as { access_token?: string; error?: string; error_description?: string };
  if (!body.access_token) {
    throw new Error(
      `client credentials refused: ${body.error ?? res.status} ${body.error_description ?? ''}`,
    );
  }
  return body.access_token;
}

/** The `Authorization` header for a token. */
export function bearer(token: string): { authorization: string } {
  return { authorization: `Bearer ${token}` };
}
