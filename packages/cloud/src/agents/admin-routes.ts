import { agentViewSchema, currentCycleSchema, errorBodySchema } from '@cloudsync/protocol';
import { GLOBAL_ADMIN } from '../api/access.js';
import { type AnyRoute, deleteRoute, getRoute } from '../api/route.js';
import { collection, entity, idParams } from '../api/schemas/common.js';
import { notFound } from '../errors.js';
import type { AdminAudit } from './admin-audit.js';
import type { AgentRecord, AgentRegistry } from './agent-registry.js';
import type { CycleLeases } from './cycle-lease.js';
import type { JobQueue } from './jobs.js';

/** An agent in the admin API: the protocol's view, plus what it is doing and its last error. */
export const agentAdminSchema = agentViewSchema.extend({
  currentCycle: currentCycleSchema.nullable(),
  lastError: errorBodySchema.nullable(),
});

export interface AgentAdminDeps {
  registry: AgentRegistry;
  leases: CycleLeases;
  jobs: JobQueue;
  audit: AdminAudit;
  publicUrl: string;
}

/** `/v1.0/cloudsync/agents`: list, read, deregister (Global Administrators). */
export function agentAdminRoutes(deps: AgentAdminDeps): AnyRoute[] {
  const context = (path: string) => `${deps.publicUrl}/v1.0/$metadata#${path}`;
  const show = (agent: AgentRecord) => ({
    ...deps.registry.view(agent),
    currentCycle: agent.currentCycle,
    lastError: agent.lastError,
  });
  return [
    getRoute({
      url: '/v1.0/cloudsync/agents',
      roles: GLOBAL_ADMIN,
      response: collection(agentAdminSchema),
      handler: async () => ({
        '@odata.context': context('cloudsync/agents'),
        value: (await deps.registry.list()).map(show),
      }),
    }),
    getRoute({
      url: '/v1.0/cloudsync/agents/:id',
      roles: GLOBAL_ADMIN,
      params: idParams,
      response: entity(agentAdminSchema),
      handler: async ({ params }) => {
        const agent = await deps.registry.find(params.id);
        if (!agent) throw notFound(params.id);
        return { '@odata.context': context('cloudsync/agents/$entity'), ...show(agent) };
      },
    }),
    deleteRoute({
      url: '/v1.0/cloudsync/agents/:id',
      roles: GLOBAL_ADMIN,
      handler: async ({ params, principal }) => {
        const agent = await deps.registry.find(params.id);
        if (!agent || !(await deps.registry.remove(agent.id))) throw notFound(params.id);
        await deps.leases.releaseAllOf(agent.id);
        await deps.jobs.cancelForAgent(agent.id);
        await deps.audit(principal, {
          activity: 'Delete cloudsync agent',
          operationType: 'Delete',
          target: { id: agent.id, type: 'Agent', name: agent.host },
        });
      },
    }),
  ];
}
