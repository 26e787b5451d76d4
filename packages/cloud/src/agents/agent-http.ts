import { ERROR_CODES, errorBody, ProtocolError } from '@cloudsync/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Principal } from '../auth/principal.js';
import type { AgentRecord, AgentRegistry } from './agent-registry.js';

/** Verifies a bearer token and loads its principal (`Auth.principalOf`). */
export type PrincipalOf = (token: string) => Promise<Principal | undefined>;

function isFastifyClientError(err: unknown): err is Error & { statusCode: number; code: string } {
  return (
    err instanceof Error &&
    'statusCode' in err &&
    typeof err.statusCode === 'number' &&
    err.statusCode < 500 &&
    'code' in err &&
    typeof err.code === 'string'
  );
}

/**
 * Gives a Fastify scope the protocol's error body (`errorBodySchema`) for everything it throws:
 * `ProtocolError`s as they are, unreadable or oversized bodies as `VALIDATION_FAILED` /
 * `PAYLOAD_TOO_LARGE`, anything else as a logged `INTERNAL` that reveals nothing.
 */
export function installAgentErrors(scope: FastifyInstance): void {
  scope.setErrorHandler((err, request, reply) => {
    if (err instanceof ProtocolError) {
      if (err.status >= 500) request.log.error({ err }, 'agent request failed');
      return reply.code(err.status).send(err.toBody(request.id));
    }
    if (isFastifyClientError(err)) {
      const code = err.statusCode === 413 ? 'PAYLOAD_TOO_LARGE' : 'VALIDATION_FAILED';
      return reply.code(ERROR_CODES[code].status).send(errorBody(code, { requestId: request.id }));
    }
    request.log.error({ err }, 'agent request failed');
    return reply.code(500).send(errorBody('INTERNAL', { requestId: request.id }));
  });
}

/**
 * Parses a message with its protocol schema; on failure throws `VALIDATION_FAILED` whose details
 * name the first field at fault (`path`) and why.
 */
export function parseMessage<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue?.path.map(String).join('.') ?? '';
  throw new ProtocolError('VALIDATION_FAILED', undefined, {
    path: path.slice(0, 1024),
    problem: (issue?.message ?? 'invalid').slice(0, 1024),
  });
}

function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const m = header ? /^Bearer +([A-Za-z0-9._~+/-]+=*)$/i.exec(header.trim()) : null;
  return m?.[1];
}

/** The caller's principal, or `UNAUTHENTICATED`. */
export async function principalOfRequest(
  request: FastifyRequest,
  principalOf: PrincipalOf,
): Promise<Principal> {
  const token = bearerToken(request);
  const principal = token ? await principalOf(token) : undefined;
  if (!principal) throw new ProtocolError('UNAUTHENTICATED');
  request.principal = principal;
  return principal;
}

/**
 * Builds the check every agent route starts with: a valid token of an agent client whose agent is
 * still registered. Sets `request.principal` (`kind: 'agent'`, `id`: the agent id).
 * @example
 *   const agent = await requireAgent(request); // throws UNAUTHENTICATED / FORBIDDEN / AGENT_NOT_FOUND
 */
export function createRequireAgent(deps: {
  principalOf: PrincipalOf;
  registry: AgentRegistry;
}): (request: FastifyRequest) => Promise<AgentRecord> {
  return async (request) => {
    const principal = await principalOfRequest(request, deps.principalOf);
    if (principal.kind !== 'agent') {
      throw new ProtocolError(
        'FORBIDDEN',
        'Only a registered agent may call the agent API with its own token.',
      );
    }
    const agent = await deps.registry.find(principal.id);
    if (!agent) throw new ProtocolError('AGENT_NOT_FOUND');
    return agent;
  };
}
