import type { Kysely } from 'kysely';
import Provider, {
  type Account,
  type Configuration,
  errors,
  type FindAccount,
  type KoaContextWithOIDC,
} from 'oidc-provider';
import type { AccountQueries } from './accounts.js';
import type { AppRegistrations } from './app-registrations.js';
import { verifyClientSecret } from './client-secret.js';
import { FIRST_PARTY } from './clients.js';
import { signInPolicy } from './interaction-policy.js';
import { createOidcAdapter } from './oidc-adapter.js';
import {
  logoutSource,
  postLogoutSuccessSource,
  renderError,
  successSource,
  userCodeConfirmSource,
  userCodeInputSource,
} from './pages/provider-pages.js';
import { ACCESS_TOKEN_TTL, GRAPH_RESOURCE, graphResourceServer } from './resources.js';
import type { SignInDatabase } from './schema.js';
import { SIGNING_ALG, type SignInKeys } from './signing-keys.js';

/** Where the sign-in and consent pages live (Fastify routes of sign-in, outside the provider). */
export const INTERACTION_PATH = '/sign-in';

export interface ProviderOptions {
  /** The OpenID issuer: `<public URL>/oauth2`. */
  issuer: string;
  db: Kysely<SignInDatabase>;
  keys: SignInKeys;
  accounts: AccountQueries;
  apps: AppRegistrations;
  /** Mark cookies `Secure` (the public URL is https). */
  secureCookies: boolean;
  /** Told when the background purge of expired models fails. */
  onPurgeError?: (err: unknown) => void;
}

const DAY = 24 * 3600;

/** The OpenID Connect claims of a directory user. Roles are read from the store at each issue. */
function accountFinder(accounts: AccountQueries): FindAccount {
  return async (_ctx, sub): Promise<Account | undefined> => {
    const user = await accounts.findById(sub);
    if (!user || user.deleted || !user.accountEnabled) return undefined;
    return {
      accountId: user.id,
      async claims() {
        const roles = await accounts.rolesOf(user.id);
        return {
          sub: user.id,
          name: user.displayName,
          preferred_username: user.userPrincipalName,
          upn: user.userPrincipalName,
          email: user.mail ?? undefined,
          roles: ['User', ...roles.filter((r) => r !== 'User')],
        };
      },
    };
  };
}

/**
 * First-party clients never see the consent page: their grant is created silently with whatever
 * they asked for. Third-party clients keep the provider's default (the grant the user consented to).
 */
async function loadExistingGrant(ctx: KoaContextWithOIDC) {
  const { client, session, result, provider } = ctx.oidc;
  const grantId = result?.consent?.grantId ?? (client && session?.grantIdFor(client.clientId));
  const existing = grantId ? await provider.Grant.find(grantId) : undefined;
  if (!client?.[FIRST_PARTY] || !session?.accountId) return existing;
  const grant = existing ?? new provider.Grant({ clientId: client.clientId, accountId: session.accountId });
  grant.addOIDCScope(ctx.oidc.requestParamOIDCScopes);
  grant.addOIDCClaims(ctx.oidc.requestParamClaims);
  for (const [indicator, server] of Object.entries(ctx.oidc.resourceServers ?? {})) {
    grant.addResourceScope(indicator, server.scope);
  }
  await grant.save();
  return grant;
}

function configuration(options: ProviderOptions): Configuration {
  const cookie = { httpOnly: true, sameSite: 'lax' as const, secure: options.secureCookies, signed: true };
  return {
    adapter: createOidcAdapter(options.db, (id) => options.apps.clientMetadata(id), {
      onPurgeError: options.onPurgeError,
    }),
    jwks: { keys: options.keys.signing },
    cookies: { keys: options.keys.cookieSecrets, long: cookie, short: cookie },
    findAccount: accountFinder(options.accounts),
    claims: {
      openid: ['sub'],
      profile: ['name', 'preferred_username', 'upn'],
      email: ['email'],
      roles: ['roles'],
    },
    scopes: ['openid', 'offline_access', 'profile', 'email', 'roles'],
    responseTypes: ['code'],
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'],
    enabledJWA: {
      idTokenSigningAlgValues: [SIGNING_ALG],
      clientAuthSigningAlgValues: ['RS256', 'PS256', 'ES256', 'EdDSA'],
    },
    extraClientMetadata: { properties: [FIRST_PARTY] },
    // Every authorization code needs PKCE, confidential clients included (OAuth 2.1).
    pkce: { required: () => true },
    interactions: {
      policy: signInPolicy(),
      url: (_ctx, interaction) => `${INTERACTION_PATH}/${interaction.uid}`,
    },
    loadExistingGrant,
    // Entra's `idtyp`: tells the admin API whether a token stands for a person or for an app.
    extraTokenClaims: (_ctx, token) => ({ idtyp: 'accountId' in token && token.accountId ? 'user' : 'app' }),
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      deviceFlow: { enabled: true, userCodeInputSource, userCodeConfirmSource, successSource },
      revocation: { enabled: true },
      userinfo: { enabled: true },
      rpInitiatedLogout: { enabled: true, logoutSource, postLogoutSuccessSource },
      resourceIndicators: {
        enabled: true,
        // Client credentials without `resource` are for the admin API; other flows stay as asked.
        defaultResource: (ctx, _client, oneOf) =>
          oneOf ?? (ctx.oidc.params?.grant_type === 'client_credentials' ? GRAPH_RESOURCE : undefined),
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, indicator) => {
          if (indicator !== GRAPH_RESOURCE) throw new errors.InvalidTarget();
          return graphResourceServer();
        },
      },
    },
    ttl: {
      AccessToken: ACCESS_TOKEN_TTL,
      ClientCredentials: ACCESS_TOKEN_TTL,
      AuthorizationCode: 60,
      DeviceCode: 600,
      IdToken: 3600,
      Interaction: 3600,
      Grant: 14 * DAY,
      Session: 14 * DAY,
      RefreshToken: 14 * DAY,
    },
    renderError,
  };
}

/**
 * Builds the tenant's OpenID provider: keys from the store, models in the store, the sign-in pages
 * of this folder, JWT access tokens for the admin API.
 * @example
 *   const provider = createProvider({ issuer: `${config.publicUrl}/oauth2`, db, keys, accounts, apps, secureCookies });
 */
export function createProvider(options: ProviderOptions): Provider {
  const provider = new Provider(options.issuer, configuration(options));
  // Client secrets are stored hashed, so the provider's plain comparison is replaced (panva's
  // suggested extension point, node-oidc-provider#631); client_secret_jwt is off for the same reason.
  provider.Client.prototype.compareClientSecret = function compareClientSecret(actual: string) {
    return verifyClientSecret(actual, this.clientSecret);
  };
  return provider;
}
