import {
  type ErrorBody,
  type HeartbeatRequest,
  type HeartbeatResponse,
  PROTOCOL_VERSION,
  ProtocolError,
} from '@cloudsync/protocol';
import type { Clock } from '../directory/clock.js';
import type { SyncConfigurations } from '../sync-config/configuration-store.js';
import type { AgentRecord, AgentRegistry } from './agent-registry.js';
import type { CycleLeases } from './cycle-lease.js';
import { AGENT_JOB_KINDS, WRITEBACK_JOB_KINDS } from './job-kinds.js';
import type { JobQueue } from './jobs.js';

export interface HeartbeatDeps {
  /** Called when an agent reports an on-premises error that turns a configuration's status to error. */
  onAgentError?: (configurationId: string, error: ErrorBody, agent: AgentRecord) => Promise<void>;
  registry: AgentRegistry;
  configurations: SyncConfigurations;
  leases: CycleLeases;
  jobs: JobQueue;
  clock: Clock;
}

/** Errors the agent meets on premises (AD, replication, writeback rights) that make a configuration unhealthy. */
const ON_PREMISES_ERROR = /^(AD_|DRSR_|DIRSYNC_|WRITEBACK_MISSING_RIGHTS)/;

/**
 * Shows an on-premises error the agent reports (a DC it cannot reach, replication rights it lacks) in
 * the status of its domains' enabled configurations, naming the agent, the code and what to do. The
 * next accepted cycle sets the status back to healthy.
 */
async function reportAgentError(
  deps: HeartbeatDeps,
  agent: AgentRecord,
  heartbeat: HeartbeatRequest,
  configurations: Awaited<ReturnType<SyncConfigurations['listForDomains']>>,
): Promise<void> {
  const error = heartbeat.lastError;
  if (!error || !ON_PREMISES_ERROR.test(error.code)) return;
  const reason = `The agent on ${agent.host} reports ${error.code}: ${error.message}`;
  for (const c of configurations) {
    if (!c.enabled || c.status.state === 'quarantine' || c.status.reason === reason) continue;
    await deps.configurations.updateStatus(c.id, { status: 'error', reason });
    await deps.onAgentError?.(c.id, error, agent);
  }
}

/**
 * Records a heartbeat and answers what the agent should act on: the versions of its domains'
 * configurations, full cycles asked for by a restart, and the jobs waiting for it. A heartbeat
 * during a cycle also renews that cycle's lease.
 */
export async function handleHeartbeat(
  deps: HeartbeatDeps,
  agent: AgentRecord,
  heartbeat: HeartbeatRequest,
): Promise<HeartbeatResponse> {
  if (heartbeat.versions.protocol !== PROTOCOL_VERSION)
    throw new ProtocolError('PROTOCOL_VERSION_UNSUPPORTED');
  await deps.registry.recordHeartbeat(agent.id, heartbeat);
  const cycle = heartbeat.currentCycle;
  if (cycle) {
    try {
      await deps.leases.renewLease(cycle.configurationId, agent.id, cycle.cycleId);
    } catch (err) {
      // The agent learns it lost the lease from its next page or lease request; a heartbeat never fails for it.
      if (!(err instanceof ProtocolError)) throw err;
    }
  }
  const configurations = await deps.configurations.listForDomains(agent.domains);
  await reportAgentError(deps, agent, heartbeat, configurations);
  const poller = { agentId: agent.id, domains: agent.domains };
  return {
    serverTime: deps.clock.now().toISOString(),
    configurations: configurations.map((c) => ({ id: c.id, version: c.version })),
    pendingWritebackJobs: await deps.jobs.pendingCount(poller, WRITEBACK_JOB_KINDS),
    pendingJobs: await deps.jobs.pendingCount(poller, AGENT_JOB_KINDS),
    runNow: configurations
      .filter((c) => c.enabled && c.restartPending)
      .map((c) => ({ configurationId: c.id, kind: 'full' as const })),
  };
}
