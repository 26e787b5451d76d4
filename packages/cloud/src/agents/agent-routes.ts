import {
  AGENT_API_PREFIX,
  AGENT_ROUTES,
  agentRegistrationRequestSchema,
  agentRegistrationResponseSchema,
  configurationListSchema,
  cycleLeaseRequestSchema,
  cycleLeaseResponseSchema,
  type ErrorBody,
  heartbeatRequestSchema,
  heartbeatResponseSchema,
  idSchema,
  ProtocolError,
} from '@cloudsync/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Clock } from '../directory/clock.js';
import { type SyncConfigurations, toProtocolConfiguration } from '../sync-config/configuration-store.js';
import type { AdminAudit } from './admin-audit.js';
import type { ConfigurationForAgent } from './agent-configuration.js';
import { type PrincipalOf, parseMessage, principalOfRequest } from './agent-http.js';
import type { AgentRecord, AgentRegistry } from './agent-registry.js';
import type { CycleLeases } from './cycle-lease.js';
import { handleHeartbeat } from './heartbeat.js';
import type { JobQueue } from './jobs.js';

/** What the agent API is built from (see `createAgentServices`). */
export interface AgentApiDeps {
  /** Called when an agent reports an on-premises error that turns a configuration's status to error. */
  onAgentError?: (configurationId: string, error: ErrorBody, agent: AgentRecord) => Promise<void>;
  registry: AgentRegistry;
  configurations: SyncConfigurations;
  leases: CycleLeases;
  jobs: JobQueue;
  clock: Clock;
  principalOf: PrincipalOf;
  requireAgent(request: FastifyRequest): Promise<AgentRecord>;
  configurationForAgent: ConfigurationForAgent;
  audit: AdminAudit;
  /** The OpenID issuer (`<public URL>/oauth2`); its token endpoint is `<issuer>/token`. */
  issuer: string;
  publicUrl: string;
}

const agentParams = z.object({ agentId: idSchema });
const configurationParams = z.object({ configurationId: idSchema });
const releaseQuery = z.object({ cycleId: idSchema });

/** `POST /agent/v1/agents`, `…/heartbeat`, `GET …/configurations`, `POST|DELETE …/configurations/:id/lease`. */
export function registerAgentRoutes(scope: FastifyInstance, deps: AgentApiDeps): void {
  scope.post(AGENT_ROUTES.register, async (request, reply) => {
    const principal = await principalOfRequest(request, deps.principalOf);
    if (principal.kind === 'agent' || !principal.roles.includes('GlobalAdministrator')) {
      throw new ProtocolError('FORBIDDEN', 'Registering an agent needs a Global Administrator.');
    }
    const registration = parseMessage(agentRegistrationRequestSchema, request.body);
    const { agent, repaired } = await deps.registry.register(registration, principal.id);
    request.log.info({ agentId: agent.id, host: agent.host, repaired }, 'agent registered');
    await deps.audit(principal, {
      activity: repaired ? 'Repair cloudsync agent' : 'Register cloudsync agent',
      operationType: repaired ? 'Update' : 'Add',
      target: { id: agent.id, type: 'Agent', name: agent.host },
    });
    return reply.code(repaired ? 200 : 201).send(
      agentRegistrationResponseSchema.parse({
        agentId: agent.id,
        clientId: agent.clientId,
        tokenEndpoint: `${deps.issuer}/token`,
        apiBaseUrl: `${deps.publicUrl}${AGENT_API_PREFIX}`,
        scopes: [],
      }),
    );
  });

  scope.post(AGENT_ROUTES.heartbeat, async (request) => {
    const agent = await deps.requireAgent(request);
    const { agentId } = parseMessage(agentParams, request.params);
    if (agentId !== agent.id) throw new ProtocolError('FORBIDDEN', 'An agent sends its own heartbeat only.');
    const heartbeat = parseMessage(heartbeatRequestSchema, request.body);
    return heartbeatResponseSchema.parse(await handleHeartbeat(deps, agent, heartbeat));
  });

  scope.get(AGENT_ROUTES.configurations, async (request) => {
    const agent = await deps.requireAgent(request);
    const configurations = await deps.configurations.listForDomains(agent.domains);
    return configurationListSchema.parse({ configurations: configurations.map(toProtocolConfiguration) });
  });

  scope.post(AGENT_ROUTES.cycleLease, async (request) => {
    const agent = await deps.requireAgent(request);
    const { configurationId } = parseMessage(configurationParams, request.params);
    await deps.configurationForAgent(agent, configurationId, { enabled: true });
    const claim = parseMessage(cycleLeaseRequestSchema, request.body);
    const answer = await deps.leases.acquireLease({ configurationId, agentId: agent.id, ...claim });
    if (answer.state === 'granted' && claim.kind === 'full') {
      await deps.configurations.restartStarted(configurationId, deps.clock.now());
    }
    return cycleLeaseResponseSchema.parse(answer);
  });

  scope.delete(AGENT_ROUTES.cycleLease, async (request, reply) => {
    const agent = await deps.requireAgent(request);
    const { configurationId } = parseMessage(configurationParams, request.params);
    const { cycleId } = parseMessage(releaseQuery, request.query);
    await deps.leases.releaseLease(configurationId, agent.id, cycleId);
    return reply.code(204).send();
  });
}
