import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import * as oidc from 'openid-client';
import { type AssignedLicense, hasMailbox } from './mailbox.js';
import { errorPage, inboxPage, noLicencePage, signedOutPage } from './pages.js';
import { PAGE_HEADERS } from './style.js';

/** The admin API resource: the demo asks for a token to read `/v1.0/me`. */
const GRAPH_RESOURCE = 'urn:cloudsync:graph';

export interface MailDemoOptions {
  /** The cloud's public URL (the issuer is `<cloud>/oauth2`). */
  cloudUrl: string;
  clientId: string;
  /** Where the demo listens; its redirect URI is `<publicUrl>/callback`. */
  port: number;
  host?: string;
  /** Trust plain HTTP to a loopback cloud (development and tests). */
  allowInsecure?: boolean;
}

interface Pending {
  verifier: string;
  state: string;
  nonce: string;
}
interface Session {
  user: string;
  mailbox: boolean;
  idToken: string | undefined;
}

const COOKIE = 'mail_session';
const cookieOf = (req: FastifyRequest) =>
  /(?:^|;\s*)mail_session=([A-Za-z0-9_-]{43})/.exec(req.headers.cookie ?? '')?.[1];
const html = (reply: FastifyReply, status: number, body: string) =>
  reply.code(status).headers(PAGE_HEADERS).type('text/html; charset=utf-8').send(body);

/**
 * The Mail demo: a separate relying party (openid-client v6, authorization code + PKCE) that shows
 * an empty inbox to users whose licences include a mail plan, and a polite refusal to the others.
 * Sessions live in memory.
 * @example
 *   const demo = await startMailDemo({ cloudUrl: 'http://127.0.0.1:8443', clientId, port: 8601, allowInsecure: true });
 */
export async function startMailDemo(
  options: MailDemoOptions,
): Promise<{ url: string; app: FastifyInstance; close(): Promise<void> }> {
  const host = options.host ?? '127.0.0.1';
  const config = await oidc.discovery(
    new URL(`${options.cloudUrl.replace(/\/$/, '')}/oauth2`),
    options.clientId,
    undefined,
    oidc.None(),
    {
      ...(options.allowInsecure ? { execute: [oidc.allowInsecureRequests] } : {}),
    },
  );
  const pending = new Map<string, Pending>();
  const sessions = new Map<string, Session>();
  const app = Fastify({ logger: false });
  // The redirect URI names the port, so it must be known before listening (no port 0).
  const url = `http://${host}:${options.port}`;
  // The sign-out form posts no fields the demo reads.
  app.addContentTypeParser('application/x-www-form-urlencoded', (_req, _body, done) => done(null, undefined));
  const redirectUri = `${url}/callback`;

  app.get('/', async (req, reply) => {
    const session = sessions.get(cookieOf(req) ?? '');
    if (!session) return html(reply, 200, signedOutPage());
    return session.mailbox
      ? html(reply, 200, inboxPage(session.user))
      : html(reply, 403, noLicencePage(session.user));
  });

  app.get('/login', async (_req, reply) => {
    const id = randomBytes(32).toString('base64url');
    const p: Pending = {
      verifier: oidc.randomPKCECodeVerifier(),
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
    };
    pending.set(id, p);
    const target = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid profile',
      resource: GRAPH_RESOURCE,
      code_challenge: await oidc.calculatePKCECodeChallenge(p.verifier),
      code_challenge_method: 'S256',
      state: p.state,
      nonce: p.nonce,
    });
    return reply
      .header('set-cookie', `${COOKIE}=${id}; Path=/; HttpOnly; SameSite=Lax`)
      .redirect(target.href, 303);
  });

  app.get('/callback', async (req, reply) => {
    const id = cookieOf(req) ?? '';
    const p = pending.get(id);
    pending.delete(id);
    if (!p) return html(reply, 400, errorPage('This sign-in has expired. Start again.'));
    try {
      const tokens = await oidc.authorizationCodeGrant(
        config,
        new URL(req.url, url),
        {
          pkceCodeVerifier: p.verifier,
          expectedState: p.state,
          expectedNonce: p.nonce,
        },
        { resource: GRAPH_RESOURCE },
      );
      const me = await oidc.fetchProtectedResource(
        config,
        tokens.access_token,
        new URL(`${options.cloudUrl.replace(/\/$/, '')}/v1.0/me`),
        'GET',
      );
      const body = (await me.json()) as { userPrincipalName?: string; assignedLicenses?: AssignedLicense[] };
      if (!me.ok) throw new Error(`the directory answered ${me.status}`);
      sessions.set(id, {
        user: body.userPrincipalName ?? 'you',
        mailbox: hasMailbox(body.assignedLicenses ?? []),
        idToken: tokens.id_token,
      });
      return reply.redirect('/', 303);
    } catch (err) {
      const message = err instanceof Error ? err.message : 'the sign-in failed';
      return html(reply, 400, errorPage(message));
    }
  });

  app.post('/logout', async (req, reply) => {
    const id = cookieOf(req) ?? '';
    const session = sessions.get(id);
    sessions.delete(id);
    const end = oidc.buildEndSessionUrl(config, {
      post_logout_redirect_uri: `${url}/`,
      ...(session?.idToken ? { id_token_hint: session.idToken } : {}),
    });
    return reply.header('set-cookie', `${COOKIE}=; Path=/; Max-Age=0`).redirect(end.href, 303);
  });

  await app.listen({ host, port: options.port });
  return { url, app, close: () => app.close() };
}
