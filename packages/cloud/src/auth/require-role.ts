import { forbidden, toGraphError } from '../errors.js';
import type { AuthHook } from './authenticate.js';
import { replyUnauthenticated } from './authenticate.js';
import type { Role } from './principal.js';

/**
 * A preHandler, placed after `authenticate`, that lets the request through only when the principal
 * holds one of `roles`; otherwise 403 `Authorization_RequestDenied`.
 * @example
 *   app.delete('/v1.0/users/:id', { preHandler: [auth.authenticate, auth.requireRole('GlobalAdministrator', 'UserAdministrator')] }, handler);
 */
export function requireRole(...roles: Role[]): AuthHook {
  return async (request, reply) => {
    const principal = request.principal;
    if (!principal) return replyUnauthenticated(request, reply, 'Access token is empty.');
    if (principal.roles.some((r) => roles.includes(r))) return undefined;
    const { status, body } = toGraphError(forbidden(), request.id, new Date());
    return reply.code(status).send(body);
  };
}
