import { randomUUID } from 'node:crypto';
import {
  AGENT_INACTIVE_AFTER_MINUTES,
  type AgentRegistrationRequest,
  type AgentRunStatus,
  type AgentView,
  agentRunStatusSchema,
  currentCycleSchema,
  type ErrorBody,
  errorBodySchema,
  type HeartbeatRequest,
  type PublicJwk,
  publicJwkSchema,
} from '@cloudsync/protocol';
import type { Kysely } from 'kysely';
import { agentClientId } from '../auth/agent-clients.js';
import type { Clock } from '../directory/clock.js';
import type { AppRegistrations } from '../sign-in/app-registrations.js';
import { isUniqueViolation } from '../store/open-store.js';
import type { Database } from '../store/schema.js';
import type { AgentsDatabase, AgentsTable, AgentsTables } from './schema.js';

/** An agent as the store holds it. */
export interface AgentRecord {
  id: string;
  host: string;
  version: string;
  /** Lower-cased DNS names. */
  domains: string[];
  publicJwk: PublicJwk;
  clientId: string;
  keyGeneration: number;
  registeredAt: string;
  registeredBy: string;
  lastContact: string | null;
  runStatus: AgentRunStatus | null;
  currentCycle: HeartbeatRequest['currentCycle'];
  lastError: ErrorBody | null;
}

export interface AgentRegistry {
  /**
   * Registers an agent, or repairs the agent of the same host: a new key generation replaces the
   * old key, whose client is disabled at once. `registeredBy` is the admin's id.
   */
  register(
    request: AgentRegistrationRequest,
    registeredBy: string,
  ): Promise<{ agent: AgentRecord; repaired: boolean }>;
  find(id: string): Promise<AgentRecord | undefined>;
  list(): Promise<AgentRecord[]>;
  /** Deregisters: the agent's OAuth client is disabled (its tokens stop working) and the row goes. */
  remove(id: string): Promise<boolean>;
  /** Records a heartbeat: last contact (cloud time), version, run status, current cycle, last error. */
  recordHeartbeat(id: string, heartbeat: HeartbeatRequest): Promise<AgentRecord | undefined>;
  /** The admin view: `active` when the last contact is under 10 minutes old (by the injected clock). */
  view(agent: AgentRecord): AgentView;
}

const json = <T>(text: string | null, parse: (v: unknown) => T): T | null =>
  text === null ? null : parse(JSON.parse(text));

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s) => typeof s === 'string') : []);

function toRecord(r: AgentsTable): AgentRecord {
  const run = agentRunStatusSchema.safeParse(r.run_status);
  return {
    id: r.id,
    host: r.host,
    version: r.version,
    domains: strings(JSON.parse(r.domains)),
    publicJwk: publicJwkSchema.parse(JSON.parse(r.public_jwk)),
    clientId: r.client_id,
    keyGeneration: Number(r.key_generation),
    registeredAt: r.registered_at,
    registeredBy: r.registered_by,
    lastContact: r.last_contact_at,
    runStatus: run.success ? run.data : null,
    currentCycle: json(r.current_cycle, (v) => currentCycleSchema.parse(v)),
    lastError: json(r.last_error, (v) => errorBodySchema.parse(v)),
  };
}

/** The key as oidc-provider verifies client assertions with it: no `alg`/`use`, so either use fits. */
function verificationJwk(jwk: PublicJwk) {
  const { alg: _alg, use: _use, ...key } = jwk;
  return key;
}

/**
 * Agents: registration (an OAuth client with `private_key_jwt` per key generation), heartbeats, views.
 * @example
 *   const registry = createAgentRegistry({ db, clock, apps: auth.apps });
 *   const { agent } = await registry.register(request, principal.id);
 */
export function createAgentRegistry(deps: {
  db: Kysely<Database>;
  clock: Clock;
  apps: AppRegistrations;
}): AgentRegistry {
  const db: Kysely<AgentsDatabase> = deps.db.withTables<AgentsTables>();
  const now = () => deps.clock.now().toISOString();
  const row = (id: string) => db.selectFrom('agents').selectAll().where('id', '=', id).executeTakeFirst();
  const byHost = (hostKey: string) =>
    db.selectFrom('agents').selectAll().where('host_key', '=', hostKey).executeTakeFirst();

  async function newClient(agentId: string, generation: number, request: AgentRegistrationRequest) {
    const clientId = agentClientId(agentId, generation);
    await deps.apps.create({
      clientId,
      displayName: `cloudsync agent ${request.host}`,
      credential: { type: 'private_key_jwt', jwks: { keys: [verificationJwk(request.publicJwk)] } },
      grantTypes: ['client_credentials'],
    });
    return clientId;
  }

  async function repair(existing: AgentsTable, request: AgentRegistrationRequest, registeredBy: string) {
    const generation = Number(existing.key_generation) + 1;
    const clientId = await newClient(existing.id, generation, request);
    await db
      .updateTable('agents')
      .set({
        host: request.host,
        version: request.version,
        domains: JSON.stringify(request.domains.map((d) => d.toLowerCase())),
        public_jwk: JSON.stringify(request.publicJwk),
        client_id: clientId,
        key_generation: generation,
        registered_by: registeredBy,
      })
      .where('id', '=', existing.id)
      .where('key_generation', '=', existing.key_generation)
      .execute();
    await deps.apps.setEnabled(existing.client_id, false);
    const updated = await row(existing.id);
    if (!updated) throw new Error(`agent ${existing.id} vanished during its repair`);
    return { agent: toRecord(updated), repaired: true };
  }

  return {
    async register(request, registeredBy) {
      const hostKey = request.host.toLowerCase();
      const existing = await byHost(hostKey);
      if (existing) return repair(existing, request, registeredBy);
      const id = randomUUID();
      const clientId = await newClient(id, 1, request);
      try {
        await db
          .insertInto('agents')
          .values({
            id,
            host: request.host,
            host_key: hostKey,
            version: request.version,
            domains: JSON.stringify(request.domains.map((d) => d.toLowerCase())),
            public_jwk: JSON.stringify(request.publicJwk),
            client_id: clientId,
            key_generation: 1,
            registered_at: now(),
            registered_by: registeredBy,
            last_contact_at: null,
            run_status: null,
            current_cycle: null,
            last_error: null,
          })
          .execute();
      } catch (err) {
        await deps.apps.setEnabled(clientId, false);
        const raced = isUniqueViolation(err) ? await byHost(hostKey) : undefined;
        if (raced) return repair(raced, request, registeredBy);
        throw err;
      }
      const created = await row(id);
      if (!created) throw new Error(`agent ${id} vanished after its registration`);
      return { agent: toRecord(created), repaired: false };
    },
    async find(id) {
      const r = await row(id);
      return r && toRecord(r);
    },
    async list() {
      const rows = await db.selectFrom('agents').selectAll().orderBy('host_key').execute();
      return rows.map(toRecord);
    },
    async remove(id) {
      const r = await row(id);
      if (!r) return false;
      await deps.apps.setEnabled(r.client_id, false);
      await db.deleteFrom('agents').where('id', '=', id).execute();
      return true;
    },
    async recordHeartbeat(id, heartbeat) {
      await db
        .updateTable('agents')
        .set({
          last_contact_at: now(),
          version: heartbeat.versions.agent,
          run_status: heartbeat.status,
          current_cycle: heartbeat.currentCycle ? JSON.stringify(heartbeat.currentCycle) : null,
          last_error: heartbeat.lastError ? JSON.stringify(heartbeat.lastError) : null,
        })
        .where('id', '=', id)
        .execute();
      const r = await row(id);
      return r && toRecord(r);
    },
    view(agent) {
      const inactiveBefore = deps.clock.now().getTime() - AGENT_INACTIVE_AFTER_MINUTES * 60_000;
      const active = agent.lastContact !== null && Date.parse(agent.lastContact) > inactiveBefore;
      return {
        id: agent.id,
        host: agent.host,
        version: agent.version,
        domains: agent.domains,
        lastContact: agent.lastContact,
        status: active ? 'active' : 'inactive',
        runStatus: agent.runStatus,
        registeredAt: agent.registeredAt,
      };
    },
  };
}
