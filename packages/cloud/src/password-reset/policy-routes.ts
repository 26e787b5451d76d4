import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Kysely } from 'kysely';
import type { AgentRegistry } from '../agents/agent-registry.js';
import type { Auth } from '../auth/create-auth.js';
import { isSet } from '../store/schema.js';
import { type PasswordResetPolicy, PolicyError, type PolicyStore, policyPatchSchema } from './policy.js';
import type { PasswordResetDatabase } from './schema.js';

export const POLICY_PATH = '/v1.0/cloudsync/passwordResetPolicy';

/** Writeback as configured per AD domain, and whether an agent of the domain answers now. */
export interface WritebackStatus {
  configurationId: string;
  domain: string;
  passwordWriteback: boolean;
  agents: { id: string; host: string; status: 'active' | 'inactive' }[];
}

function badRequest(reply: FastifyReply, message: string, target?: string) {
  return reply
    .code(400)
    .send({ error: { code: 'Request_BadRequest', message, ...(target ? { target } : {}) } });
}

/**
 * `GET|PATCH /v1.0/cloudsync/passwordResetPolicy` (Global Administrators): the policy, plus the
 * writeback status of each sync configuration and its agents (read-only).
 */
export function registerPolicyRoutes(
  app: FastifyInstance,
  deps: {
    auth: Pick<Auth, 'authenticate' | 'requireRole'>;
    policies: PolicyStore;
    db: Kysely<PasswordResetDatabase>;
    registry: AgentRegistry;
  },
): void {
  const preHandler = [deps.auth.authenticate, deps.auth.requireRole('GlobalAdministrator')];

  async function writeback(): Promise<WritebackStatus[]> {
    const configs = await deps.db
      .selectFrom('sync_configurations')
      .select(['id', 'domain_key', 'password_writeback'])
      .orderBy('domain_key')
      .execute();
    const agents = await deps.registry.list();
    return configs.map((c) => ({
      configurationId: c.id,
      domain: c.domain_key,
      passwordWriteback: isSet(c.password_writeback),
      agents: agents
        .filter((a) => a.domains.includes(c.domain_key))
        .map((a) => ({ id: a.id, host: a.host, status: deps.registry.view(a).status })),
    }));
  }

  const body = async (policy: PasswordResetPolicy) => ({ ...policy, writeback: await writeback() });

  app.get(POLICY_PATH, { preHandler }, async () => body(await deps.policies.get()));

  app.patch(POLICY_PATH, { preHandler }, async (request, reply) => {
    const parsed = policyPatchSchema.safeParse(request.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return badRequest(reply, issue?.message ?? 'invalid body', issue?.path.join('.') || undefined);
    }
    try {
      return await body(await deps.policies.update(parsed.data));
    } catch (err) {
      if (err instanceof PolicyError) return badRequest(reply, err.message, err.target);
      throw err;
    }
  });
}
