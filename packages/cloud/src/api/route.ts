import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Principal, Role } from '../auth/principal.js';
import { badRequest, type CloudError, unauthenticated } from '../errors.js';
import { idParams, noBody } from './schemas/common.js';

/** A Fastify preHandler that either lets the request through or has replied (401/403). */
export type Guard = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

/** How the admin API checks callers: provided by the auth capability (`createAuth`). */
export interface AccessControl {
  authenticate: Guard;
  requireRole(...roles: Role[]): Guard;
}

export interface RouteContext<P, B> {
  params: P;
  body: B;
  principal: Principal;
  request: FastifyRequest;
}

/**
 * One admin API route: its contract (params, body, response) and who may call it. The response
 * schema is applied to whatever the handler returns, so fields it does not name never leave.
 */
export interface RouteSpec<P extends z.ZodType, B extends z.ZodType, R extends z.ZodType> {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  url: string;
  roles: readonly Role[];
  params: P;
  body: B;
  /** Schema of the 2xx body; `undefined` for 204 No Content. */
  response: R | undefined;
  status?: number;
  handler(ctx: RouteContext<z.output<P>, z.output<B>>): Promise<z.input<R>>;
}

export type AnyRoute = RouteSpec<z.ZodType, z.ZodType, z.ZodType>;

/** Declares a route with full type inference (identity at run time). */
export function defineRoute<P extends z.ZodType, B extends z.ZodType, R extends z.ZodType>(
  spec: RouteSpec<P, B, R>,
): RouteSpec<P, B, R> {
  return spec;
}

const noParams = z.object({});

/**
 * Declares a GET route: no body, and no path parameters unless `params` names them.
 * @example
 *   getRoute({ url: '/v1.0/users/:id', roles: USER_ADMINS, params: idParams, response, handler });
 */
export function getRoute<R extends z.ZodType, P extends z.ZodType = typeof noParams>(
  spec: Omit<RouteSpec<P, z.ZodUndefined, R>, 'method' | 'body' | 'params'> & { params?: P },
): RouteSpec<P, z.ZodUndefined, R> {
  const { params, ...rest } = spec;
  // Without `params` P is its default, the type of noParams.
  return { method: 'GET', body: z.undefined(), params: params ?? (noParams as unknown as P), ...rest };
}

type DeleteSpec<P extends z.ZodType> = Omit<
  RouteSpec<P, typeof noBody, z.ZodType>,
  'method' | 'body' | 'params' | 'response'
>;

/**
 * Declares a DELETE route: no body, 204 No Content; the path names `{ id }` unless `params` says otherwise.
 * @example
 *   deleteRoute({ url: '/v1.0/contacts/:id', roles: USER_ADMINS, handler: ({ params }) => remove(params.id) });
 */
export function deleteRoute<P extends z.ZodType>(
  spec: DeleteSpec<P> & { params: P },
): RouteSpec<P, typeof noBody, z.ZodType>;
export function deleteRoute(
  spec: DeleteSpec<typeof idParams>,
): RouteSpec<typeof idParams, typeof noBody, z.ZodType>;
export function deleteRoute(
  spec: DeleteSpec<z.ZodType> & { params?: z.ZodType },
): RouteSpec<z.ZodType, typeof noBody, z.ZodType> {
  return { method: 'DELETE', body: noBody, response: undefined, params: idParams, ...spec };
}

function pathOf(path: readonly PropertyKey[], prefix: string): string {
  const parts = path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p)));
  const joined = parts.join('.').replace(/\.\[/g, '[');
  return prefix && joined ? `${prefix}.${joined}` : joined || prefix;
}

/** Turns the first zod issue into Graph's 400, naming the property at fault. */
export function zodToGraphError(error: z.ZodError, where: 'body' | 'params'): CloudError {
  const issue = error.issues[0];
  if (!issue) return badRequest('Invalid request.');
  const base = pathOf(issue.path, '');
  if (issue.code === 'unrecognized_keys') {
    const key = pathOf([...issue.path, issue.keys[0] ?? ''], '');
    return badRequest(`Property '${key}' does not exist as a declared property or extension property.`, key);
  }
  if (where === 'params') return badRequest(`Invalid value for '${base || 'id'}' in the request URL.`, base);
  if (!base) return badRequest(`Invalid request body: ${issue.message}.`);
  if (issue.code === 'invalid_type' && issue.input === undefined) {
    return badRequest(`Property '${base}' is required but was not provided.`, base);
  }
  if (issue.code === 'too_big' && issue.origin === 'string') {
    return badRequest(
      `Invalid value specified for property '${base}': longer than ${String(issue.maximum)} characters.`,
      base,
    );
  }
  return badRequest(`Invalid value specified for property '${base}': ${issue.message}.`, base);
}

/** Registers routes: authenticate, check the role, validate params and body, run, shape the response. */
export function registerRoutes(
  app: FastifyInstance,
  access: AccessControl,
  routes: readonly AnyRoute[],
): void {
  for (const spec of routes) {
    app.route({
      method: spec.method,
      url: spec.url,
      preHandler: [access.authenticate, access.requireRole(...spec.roles)],
      handler: async (request, reply) => {
        const principal = request.principal;
        if (!principal) throw unauthenticated();
        const params = spec.params.safeParse(request.params);
        if (!params.success) throw zodToGraphError(params.error, 'params');
        const body = spec.body.safeParse(request.body);
        if (!body.success) throw zodToGraphError(body.error, 'body');
        const result = await spec.handler({ params: params.data, body: body.data, principal, request });
        if (!spec.response) return reply.code(spec.status ?? 204).send();
        return reply.code(spec.status ?? 200).send(spec.response.parse(result));
      },
    });
  }
}
