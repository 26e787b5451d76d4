import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify';
import type Provider from 'oidc-provider';
import type { SignInRegistration } from '../password-reset/index.js';
import type { AccountQueries } from './accounts.js';
import { checkCredentials, refusalMessage } from './check-credentials.js';
import { expired, finish, interaction, sendPage, type UidRequest, uidParams } from './interaction.js';
import { renderConsentPage } from './pages/consent-page.js';
import { renderLoginPage } from './pages/login-page.js';
import { renderMessagePage } from './pages/message-page.js';
import { INTERACTION_PATH } from './provider.js';
import { createRegistrationInterrupt } from './registration-interrupt.js';
import type { SignInGuard } from './sign-in-guard.js';

export interface InteractionDeps {
  provider: Provider;
  accounts: AccountQueries;
  log: FastifyBaseLogger;
  /** Smart lockout and rate limits (see `sign-in-guard.ts`); none when absent. */
  guard?: SignInGuard;
  /** Password reset's registration, for "More information required" (see `registration-interrupt.ts`). */
  registration?: () => SignInRegistration | undefined;
}

type LoginRequest = FastifyRequest<{
  Params: { uid: string };
  Body: { username?: string; password?: string };
}>;

const params = uidParams;
const loginBody = {
  type: 'object',
  properties: { username: { type: 'string', maxLength: 256 }, password: { type: 'string', maxLength: 1024 } },
} as const;

/** What each scope lets a third-party app do, in the words of the consent page. */
const SCOPE_WORDS: Readonly<Record<string, string>> = {
  openid: 'Sign you in',
  profile: 'Read your name and user name',
  email: 'Read your email address',
  roles: 'Read your directory roles',
  offline_access: 'Keep access to what you allowed, until you revoke it',
};

/**
 * The sign-in and consent pages oidc-provider sends the browser to (`/sign-in/:uid`), as plain
 * server-rendered forms. Each handler is one step: show, log in, consent, abort.
 */
export function registerInteractionRoutes(app: FastifyInstance, deps: InteractionDeps): void {
  const { provider, accounts, log, guard } = deps;
  const base = INTERACTION_PATH;
  const registration = deps.registration ?? (() => undefined);
  const interrupt = createRegistrationInterrupt({ provider, accounts, log, registration, base });
  interrupt.register(app);

  // A browser is on the other end: answer with a page, and log the error without the request body.
  app.setErrorHandler((err, req, reply) => {
    const code = typeof err === 'object' && err && 'statusCode' in err ? err.statusCode : undefined;
    const status = typeof code === 'number' && code < 500 ? code : 500;
    if (status >= 500) req.log.error({ err }, 'sign-in page failed');
    return sendPage(
      reply,
      status,
      renderMessagePage(
        'Something went wrong',
        'The sign-in could not be completed. Go back to the app and try again.',
      ),
    );
  });

  const clientName = async (clientId: unknown): Promise<string> => {
    const client = typeof clientId === 'string' ? await provider.Client.find(clientId) : undefined;
    return client?.clientName ?? client?.clientId ?? 'an app';
  };

  // Step: show the page the pending prompt needs.
  app.get(`${base}/:uid`, { schema: { params } }, async (req: UidRequest, reply) => {
    const details = await interaction(provider, req, reply);
    if (!details) return expired(reply);
    const name = await clientName(details.params.client_id);
    if (details.prompt.name === 'login') {
      if (await interrupt.resume(req, reply, details)) return reply;
      return sendPage(
        reply,
        200,
        renderLoginPage({ action: `${base}/${details.uid}/login`, clientName: name }),
      );
    }
    const accountId = details.session?.accountId;
    const user = accountId ? await accounts.findById(accountId) : undefined;
    const scopes = String(details.params.scope ?? '').split(' ');
    const permissions = scopes.map((s) => SCOPE_WORDS[s]).filter((w): w is string => Boolean(w));
    if (details.params.resource) permissions.push('Use the directory as you, with your roles');
    return sendPage(
      reply,
      200,
      renderConsentPage({
        action: `${base}/${details.uid}/consent`,
        abortAction: `${base}/${details.uid}/abort`,
        clientName: name,
        userPrincipalName: user?.userPrincipalName ?? '',
        permissions,
      }),
    );
  });

  // Step: check the user name and password; finish the login prompt or show the form again.
  app.post(
    `${base}/:uid/login`,
    { schema: { params, body: loginBody } },
    async (req: LoginRequest, reply) => {
      const details = await interaction(provider, req, reply);
      if (!details) return expired(reply);
      if (details.prompt.name !== 'login') return reply.redirect(`${base}/${details.uid}`, 303);
      const username = req.body?.username ?? '';
      const password = req.body?.password ?? '';
      const context = guard ? { guard, clientAddress: req.ip } : undefined;
      const check = await checkCredentials(accounts, username, password, context);
      if (!check.ok) {
        log.info({ interaction: details.uid, refusal: check.refusal }, 'sign-in refused');
        const page = renderLoginPage({
          action: `${base}/${details.uid}/login`,
          clientName: await clientName(details.params.client_id),
          username,
          error: refusalMessage(check),
        });
        if (check.retryAfterSeconds) reply.header('retry-after', String(check.retryAfterSeconds));
        const status = { invalid_credentials: 401, rate_limited: 429 }[check.refusal as string] ?? 403;
        return sendPage(reply, status, page);
      }
      if (await interrupt.afterPassword(req, reply, details, check.user.id)) return reply;
      log.info({ interaction: details.uid, userId: check.user.id }, 'signed in');
      return finish(provider, req, reply, { login: { accountId: check.user.id, amr: ['pwd'] } }, false);
    },
  );

  // Step: the user accepts what a third-party app asked for; record it as the app's grant.
  app.post(`${base}/:uid/consent`, { schema: { params } }, async (req: UidRequest, reply) => {
    const details = await interaction(provider, req, reply);
    if (!details) return expired(reply);
    const accountId = details.session?.accountId;
    if (details.prompt.name !== 'consent' || !accountId) return reply.redirect(`${base}/${details.uid}`, 303);
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId, clientId: String(details.params.client_id) });
    if (!grant) return expired(reply);
    const missing = details.prompt.details;
    if (Array.isArray(missing.missingOIDCScope)) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (Array.isArray(missing.missingOIDCClaims)) grant.addOIDCClaims(missing.missingOIDCClaims);
    const resourceScopes = missing.missingResourceScopes;
    if (resourceScopes && typeof resourceScopes === 'object') {
      for (const [indicator, scopes] of Object.entries(resourceScopes)) {
        if (Array.isArray(scopes)) grant.addResourceScope(indicator, scopes.join(' '));
      }
    }
    const grantId = await grant.save();
    return finish(provider, req, reply, { consent: details.grantId ? {} : { grantId } }, true);
  });

  // Step: the user cancels; the app receives access_denied.
  app.post(`${base}/:uid/abort`, { schema: { params } }, async (req: UidRequest, reply) => {
    const details = await interaction(provider, req, reply);
    if (!details) return expired(reply);
    const result = { error: 'access_denied', error_description: 'The user cancelled the sign-in.' };
    return finish(provider, req, reply, result, false);
  });
}
