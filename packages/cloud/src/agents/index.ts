import type { AttributeMappings, ErrorBody } from '@cloudsync/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { type AccessControl, registerRoutes } from '../api/route.js';
import type { Clock } from '../directory/clock.js';
import type { AppRegistrations } from '../sign-in/app-registrations.js';
import type { Database } from '../store/schema.js';
import { configurationRoutes } from '../sync-config/configuration-routes.js';
import { createSyncConfigurations, type SyncConfigurations } from '../sync-config/configuration-store.js';
import { createProvisionOnDemand, type ProvisionOnDemand } from '../sync-config/provision-on-demand.js';
import { type AdminAudit, createAdminAudit } from './admin-audit.js';
import { agentAdminRoutes } from './admin-routes.js';
import { type ConfigurationForAgent, createConfigurationForAgent } from './agent-configuration.js';
import { createRequireAgent, installAgentErrors, type PrincipalOf } from './agent-http.js';
import { type AgentRecord, type AgentRegistry, createAgentRegistry } from './agent-registry.js';
import { registerAgentRoutes } from './agent-routes.js';
import { type CycleLeases, createCycleLeases } from './cycle-lease.js';
import { registerJobRoutes } from './job-routes.js';
import { createJobQueue, type JobQueue } from './jobs.js';

export type { ConfigurationForAgent } from './agent-configuration.js';
export { createRequireAgent, installAgentErrors, parseMessage } from './agent-http.js';
export type { AgentRecord, AgentRegistry } from './agent-registry.js';
export type { CycleLease, CycleLeases } from './cycle-lease.js';
export type { ClaimedJob, JobOutcome, JobQueue, JobRecord, JobTarget, NewJob } from './jobs.js';
export { sealForAgent } from './seal-secret.js';
export {
  enqueueWriteback,
  type NewWritebackJob,
  queueWriteback,
  type WritebackRequest,
} from './writeback-jobs.js';

export interface CloudSyncDeps {
  /** Called when an agent reports an on-premises error that turns a configuration's status to error. */
  onAgentError?: (configurationId: string, error: ErrorBody, agent: AgentRecord) => Promise<void>;
  /** Called when an administrator restarts a configuration (the sync ingest lifts its quarantine). */
  onRestart?: (configurationId: string) => Promise<void>;
  db: Kysely<Database>;
  clock: Clock;
  /** The auth capability: app registrations, the issuer, token checks. */
  auth: AccessControl & { apps: AppRegistrations; issuer: string; principalOf: PrincipalOf };
  publicUrl: string;
  /** Mappings of a configuration created without any: the sync engine's `DEFAULT_MAPPINGS`. */
  defaultMappings: AttributeMappings;
  leaseTtlMs?: number;
  /** Store poll interval of job waiters (jobs queued by another process). */
  jobPollIntervalMs?: number;
}

/** Agents and sync configurations, as the rest of the cloud (the sync ingest, writeback) uses them. */
export interface CloudSync {
  registry: AgentRegistry;
  configurations: SyncConfigurations;
  leases: CycleLeases;
  jobs: JobQueue;
  provisionOnDemand: ProvisionOnDemand;
  /** Records admin actions on agents and configurations in the directory audit log. */
  audit: AdminAudit;
  /**
   * The check every agent route starts with (throws protocol errors; pair with `installAgentErrors`).
   * @example
   *   scope.post(AGENT_ROUTES.cyclePage, async (request) => {
   *     const agent = await cloudSync.requireAgent(request);
   *     const page = parseMessage(changeSetPageSchema, request.body);
   *     await cloudSync.leases.renewLease(page.configurationId, agent.id, page.cycleId);
   *   });
   */
  requireAgent(request: FastifyRequest): Promise<AgentRecord>;
  /** The configuration lookup for agent requests: its domains only; optionally enabled and current. */
  configurationForAgent: ConfigurationForAgent;
  /** Wakes long-polls and job waiters so the server can close. */
  close(): void;
}

const PURGE_EVERY_MS = 60 * 60_000;
/** Finished jobs (and their results) are kept this long for the admin to read. */
const JOB_RETENTION_MS = 7 * 24 * 60 * 60_000;

/** Builds agents, sync configurations, cycle leases and the job queue over one store. */
export function createCloudSync(deps: CloudSyncDeps): CloudSync {
  const { db, clock } = deps;
  const registry = createAgentRegistry({ db, clock, apps: deps.auth.apps });
  const configurations = createSyncConfigurations({ db, clock, defaultMappings: deps.defaultMappings });
  const leases = createCycleLeases({ db, clock, ...(deps.leaseTtlMs ? { ttlMs: deps.leaseTtlMs } : {}) });
  const jobs = createJobQueue({
    db,
    clock,
    ...(deps.jobPollIntervalMs ? { pollIntervalMs: deps.jobPollIntervalMs } : {}),
  });
  return {
    registry,
    configurations,
    leases,
    jobs,
    provisionOnDemand: createProvisionOnDemand({ jobs, configurations }),
    audit: createAdminAudit({ db, clock }),
    requireAgent: createRequireAgent({ principalOf: deps.auth.principalOf, registry }),
    configurationForAgent: createConfigurationForAgent(configurations),
    close: () => jobs.close(),
  };
}

/** Purges old finished jobs every hour until `cloudSync.close()`. */
function startJobPurge(app: FastifyInstance, cloudSync: CloudSync): void {
  const timer = setInterval(() => {
    cloudSync.jobs
      .purgeFinished(JOB_RETENTION_MS)
      .then((n) => n > 0 && app.log.info({ purged: n }, 'purged finished agent jobs'))
      .catch((err: unknown) => app.log.error({ err }, 'purge of finished agent jobs failed'));
  }, PURGE_EVERY_MS);
  timer.unref();
  const close = cloudSync.close;
  cloudSync.close = () => {
    clearInterval(timer);
    close();
  };
}

/**
 * Builds {@link CloudSync} and mounts its HTTP surface: the agent API (`/agent/v1/...`, protocol
 * error bodies) and the admin API (`/v1.0/cloudsync/agents`, `/v1.0/cloudsync/configurations`).
 * @example
 *   const cloudSync = await mountCloudSync(app, { db: store.db, clock, auth, publicUrl, defaultMappings: DEFAULT_MAPPINGS });
 */
export async function mountCloudSync(app: FastifyInstance, deps: CloudSyncDeps): Promise<CloudSync> {
  const cloudSync = createCloudSync(deps);
  startJobPurge(app, cloudSync);
  const { publicUrl } = deps;
  registerRoutes(app, deps.auth, [
    ...agentAdminRoutes({ ...cloudSync, publicUrl }),
    ...configurationRoutes({
      ...cloudSync,
      publicUrl,
      ...(deps.onRestart ? { onRestart: deps.onRestart } : {}),
    }),
  ]);
  await app.register(async (scope) => {
    installAgentErrors(scope);
    registerAgentRoutes(scope, {
      ...cloudSync,
      clock: deps.clock,
      principalOf: deps.auth.principalOf,
      issuer: deps.auth.issuer,
      publicUrl,
      ...(deps.onAgentError ? { onAgentError: deps.onAgentError } : {}),
    });
    registerJobRoutes(scope, cloudSync);
  });
  return cloudSync;
}
