import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyBaseLogger, FastifyInstance, RawServerDefault } from 'fastify';
import type { Kysely } from 'kysely';
import type Provider from 'oidc-provider';
import type { CloudConfig } from '../config.js';
import { type Clock, systemClock } from '../directory/clock.js';
import type { SignInRegistration } from '../password-reset/index.js';
import type { PasswordResetExtraTables } from '../password-reset/schema.js';
import { createAccountQueries } from '../sign-in/accounts.js';
import { type AppRegistrations, createAppRegistrations } from '../sign-in/app-registrations.js';
import { registerFormBody } from '../sign-in/form-body.js';
import { registerInteractionRoutes } from '../sign-in/interaction-routes.js';
import { mountProvider, OIDC_MOUNT_PATH } from '../sign-in/mount-provider.js';
import { purgeExpiredOidcModels } from '../sign-in/oidc-adapter.js';
import { registerPasswordGrant } from '../sign-in/password-grant.js';
import { createProvider } from '../sign-in/provider.js';
import { listenToProvider } from '../sign-in/provider-events.js';
import type { SignInDatabase, SignInTables } from '../sign-in/schema.js';
import { createSignInGuard, type SignInGuard, type SignInGuardOptions } from '../sign-in/sign-in-guard.js';
import { ensureSignInKeys, publicJwks } from '../sign-in/signing-keys.js';
import type { Database } from '../store/schema.js';
import { type AuthHook, createAuthenticate } from './authenticate.js';
import { loadPrincipal } from './load-principal.js';
import type { Principal, Role } from './principal.js';
import { requireRole } from './require-role.js';
import { type AccessTokenClaims, createAccessTokenVerifier, TokenRefused } from './verify-access-token.js';

/** A Fastify app with whatever pino logger its composition root gave it. */
export type AnyLoggerApp<L extends FastifyBaseLogger> = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  L
>;

export interface AuthOptions {
  db: Kysely<Database>;
  /** `tlsCert` tells whether this process terminates TLS itself (else a proxy in front may). */
  config: Pick<CloudConfig, 'publicUrl'> & Partial<Pick<CloudConfig, 'tlsCert'>>;
  log: FastifyBaseLogger;
  /** Clock of smart lockout and rate limits; the system clock by default. */
  clock?: Clock;
  /** Smart lockout and rate limit settings (see `sign-in/sign-in-guard.ts`). */
  guard?: Pick<SignInGuardOptions, 'lockout' | 'limits'>;
  /** Password reset's registration, asked for after a correct password (known once reset is mounted). */
  signInRegistration?: () => SignInRegistration | undefined;
}

export interface Auth {
  /** The OpenID issuer: `<public URL>/oauth2`. */
  issuer: string;
  provider: Provider;
  /** The tenant's OAuth clients. */
  apps: AppRegistrations;
  /** Smart lockout and sign-in rate limits, shared with password reset. */
  guard: SignInGuard;
  /** Mounts `/oauth2/*` (the provider) and `/sign-in/*` (the sign-in and consent pages). */
  register<L extends FastifyBaseLogger>(app: AnyLoggerApp<L>): Promise<void>;
  /** preHandler: verifies the bearer token and sets `request.principal`, or replies 401. */
  authenticate: AuthHook;
  /** preHandler after `authenticate`: replies 403 unless the principal holds one of the roles. */
  requireRole(...roles: Role[]): AuthHook;
  /**
   * Verifies a bearer token and loads its principal, for APIs with their own error bodies (the agent
   * API); undefined when the token is refused or its account is gone.
   */
  principalOf(token: string): Promise<Principal | undefined>;
}

/**
 * Sets up sign-in for the tenant in `db`: loads (or, the first time, generates) the signing keys,
 * builds the OpenID provider and the admin API's token checks.
 * @example
 *   const auth = await createAuth({ db: store.db, config, log: app.log });
 *   await auth.register(app);
 *   app.get('/v1.0/me', { preHandler: [auth.authenticate] }, (req) => req.principal);
 */
export async function createAuth(options: AuthOptions): Promise<Auth> {
  const { db, config, log } = options;
  const signInDb: Kysely<SignInDatabase> = db.withTables<SignInTables>();
  const issuer = `${config.publicUrl.replace(/\/$/, '')}${OIDC_MOUNT_PATH}`;
  const keys = await ensureSignInKeys(signInDb);
  await purgeExpiredOidcModels(signInDb);
  const accounts = createAccountQueries(db);
  const apps = createAppRegistrations(signInDb);
  const guard = createSignInGuard({
    db: db.withTables<PasswordResetExtraTables>(),
    clock: options.clock ?? systemClock,
    ...options.guard,
  });
  const provider = createProvider({
    issuer,
    db: signInDb,
    keys,
    accounts,
    apps,
    secureCookies: issuer.startsWith('https:'),
    onPurgeError: (err) => log.error({ err }, 'purging expired sign-in records failed'),
  });
  // An https public URL served by a plain-HTTP listener (allowed on loopback only) means a TLS proxy
  // in front: trust its X-Forwarded-Proto/Host, so secure cookies and endpoint URLs are right.
  provider.proxy = issuer.startsWith('https:') && !config.tlsCert;
  registerPasswordGrant(provider, accounts, guard);
  listenToProvider(provider, log);

  const verify = createAccessTokenVerifier({ issuer, keys: publicJwks(keys.signing).keys });
  const load = (claims: AccessTokenClaims) => loadPrincipal(claims, { accounts, apps });
  return {
    issuer,
    provider,
    apps,
    guard,
    async register(app) {
      // Routes do not depend on the logger's type; the sign-in code sees the app as the base type.
      const base = app as unknown as FastifyInstance;
      await mountProvider(base, provider);
      await base.register(async (scope) => {
        await registerFormBody(scope);
        registerInteractionRoutes(scope, {
          provider,
          accounts,
          log,
          guard,
          registration: options.signInRegistration,
        });
      });
    },
    authenticate: createAuthenticate({ verify, load }),
    requireRole,
    async principalOf(token) {
      try {
        return await load(await verify(token));
      } catch (err) {
        if (err instanceof TokenRefused) return undefined;
        throw err;
      }
    },
  };
}
