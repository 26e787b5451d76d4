import type { FastifyReply, FastifyRequest } from 'fastify';
import { toGraphError, unauthenticated } from '../errors.js';
import type { Principal } from './principal.js';
import { type AccessTokenClaims, TokenRefused } from './verify-access-token.js';

/** A Fastify preHandler that either sets `request.principal` or has replied. */
export type AuthHook = (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined>;

/** Replies 401 with Graph's `InvalidAuthenticationToken` body and a `WWW-Authenticate` challenge. */
export function replyUnauthenticated(
  request: FastifyRequest,
  reply: FastifyReply,
  message: string,
): FastifyReply {
  const { status, body } = toGraphError(unauthenticated(message), request.id, new Date());
  return reply.code(status).header('www-authenticate', 'Bearer error="invalid_token"').send(body);
}

function bearerToken(header: string | undefined): string | undefined {
  const m = header ? /^Bearer +([A-Za-z0-9._~+/-]+=*)$/i.exec(header.trim()) : null;
  return m?.[1];
}

/**
 * Builds the `authenticate` preHandler of the admin API: verifies the bearer JWT locally, then
 * loads the principal from the store.
 */
export function createAuthenticate(deps: {
  verify: (token: string) => Promise<AccessTokenClaims>;
  load: (claims: AccessTokenClaims) => Promise<Principal | undefined>;
}): AuthHook {
  return async (request, reply) => {
    const token = bearerToken(request.headers.authorization);
    if (!token) return replyUnauthenticated(request, reply, 'Access token is empty.');
    let claims: AccessTokenClaims;
    try {
      claims = await deps.verify(token);
    } catch (err) {
      if (err instanceof TokenRefused) return replyUnauthenticated(request, reply, err.message);
      throw err;
    }
    const principal = await deps.load(claims);
    if (!principal) {
      return replyUnauthenticated(
        request,
        reply,
        'The account of this token is disabled or no longer exists.',
      );
    }
    request.principal = principal;
    return undefined;
  };
}
