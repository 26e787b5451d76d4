import type { FastifyReply, FastifyRequest } from 'fastify';
import type Provider from 'oidc-provider';
import { errors } from 'oidc-provider';
import { PAGE_HEADERS } from './pages/layout.js';
import { renderMessagePage } from './pages/message-page.js';

/** A request to an interaction page: `/sign-in/:uid...`. */
export type UidRequest = FastifyRequest<{ Params: { uid: string } }>;

/** The `:uid` parameter of every interaction route. */
export const uidParams = {
  type: 'object',
  properties: { uid: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' } },
  required: ['uid'],
} as const;

/** Sends a sign-in page with its headers (CSP, no framing, no caching). */
export function sendPage(reply: FastifyReply, status: number, page: string): FastifyReply {
  return reply.code(status).headers(PAGE_HEADERS).type('text/html; charset=utf-8').send(page);
}

/** The page for an interaction that is gone or belongs to another browser. */
export function expired(reply: FastifyReply): FastifyReply {
  return sendPage(
    reply,
    400,
    renderMessagePage(
      'Sign-in expired',
      'This sign-in page has expired or was opened in another browser. Go back to the app and start again.',
    ),
  );
}

/** The pending interaction bound to this browser's cookie, or undefined when it is gone. */
export async function interaction(provider: Provider, req: UidRequest, reply: FastifyReply) {
  try {
    const details = await provider.interactionDetails(req.raw, reply.raw);
    return details.uid === req.params.uid ? details : undefined;
  } catch (err) {
    if (err instanceof errors.SessionNotFound) return undefined;
    throw err;
  }
}

export type InteractionDetails = NonNullable<Awaited<ReturnType<typeof interaction>>>;

/** Hands the result back to oidc-provider, which redirects the browser to resume the flow. */
export async function finish(
  provider: Provider,
  req: FastifyRequest,
  reply: FastifyReply,
  result: Parameters<Provider['interactionResult']>[2],
  mergeWithLastSubmission: boolean,
): Promise<FastifyReply> {
  const returnTo = await provider.interactionResult(req.raw, reply.raw, result, { mergeWithLastSubmission });
  return reply.code(303).header('cache-control', 'no-store').redirect(returnTo, 303);
}
