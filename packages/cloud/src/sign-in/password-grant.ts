import type Provider from 'oidc-provider';
import { errors, type TokenEndpointGrantContext } from 'oidc-provider';
import type { AccountQueries } from './accounts.js';
import { checkCredentials, refusalMessage } from './check-credentials.js';
import { CLI_CLIENT_ID, PASSWORD_GRANT_TYPE } from './clients.js';
import { GRAPH_RESOURCE, GRAPH_SCOPE, graphResourceServer } from './resources.js';
import type { SignInGuard } from './sign-in-guard.js';

interface PasswordGrantParams {
  username?: string;
  password?: string;
}

/**
 * Registers the resource-owner password grant for `cloudsync-cli` only: the agent install wizard
 * and the lab sign in unattended with it (see docs/decisions.md). It issues an admin API access
 * token and nothing else: no refresh token, no ID token, no session.
 */
export function registerPasswordGrant(
  provider: Provider,
  accounts: AccountQueries,
  guard?: SignInGuard,
): void {
  provider.registerGrantType<PasswordGrantParams>(
    PASSWORD_GRANT_TYPE,
    async (ctx: TokenEndpointGrantContext<PasswordGrantParams>) => {
      const { client, params } = ctx.oidc;
      // grant_types already keeps other clients out; this check keeps it so if one is misregistered.
      if (client.clientId !== CLI_CLIENT_ID) {
        throw new errors.CustomOIDCProviderError(
          'unauthorized_client',
          'the password grant is reserved for cloudsync-cli',
        );
      }
      const resource = params.resource ?? GRAPH_RESOURCE;
      if (resource !== GRAPH_RESOURCE) throw new errors.InvalidTarget();
      if (!params.username || !params.password) {
        throw new errors.InvalidRequest('username and password are required');
      }
      const context = guard ? { guard, clientAddress: ctx.ip } : undefined;
      const check = await checkCredentials(accounts, params.username, params.password, context);
      if (!check.ok && check.retryAfterSeconds) {
        ctx.status = 429;
        ctx.set('Retry-After', String(check.retryAfterSeconds));
        ctx.body = { error: 'temporarily_unavailable', error_description: refusalMessage(check) };
        return;
      }
      if (!check.ok) throw new errors.CustomOIDCProviderError('invalid_grant', refusalMessage(check));

      const grant = new provider.Grant({ accountId: check.user.id, clientId: client.clientId });
      grant.addResourceScope(GRAPH_RESOURCE, GRAPH_SCOPE);
      const grantId = await grant.save();
      const token = new provider.AccessToken({
        accountId: check.user.id,
        client,
        grantId,
        gty: PASSWORD_GRANT_TYPE,
        scope: GRAPH_SCOPE,
        resourceServer: new provider.ResourceServer(GRAPH_RESOURCE, graphResourceServer()),
      });
      ctx.oidc.entity('AccessToken', token);
      const accessToken = await token.save();
      ctx.body = {
        access_token: accessToken,
        token_type: 'Bearer',
        expires_in: token.expiration,
        scope: GRAPH_SCOPE,
      };
    },
    ['username', 'password', 'resource', 'scope'],
  );
}
