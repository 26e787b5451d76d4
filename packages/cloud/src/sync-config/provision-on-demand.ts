import { agentJobResultSchema } from '@cloudsync/protocol';
import type { z } from 'zod';
import type { JobQueue, JobRecord } from '../agents/jobs.js';
import { notFound } from '../errors.js';
import type { provisionOnDemandSchema } from './configuration-schemas.js';
import type { SyncConfigurations } from './configuration-store.js';

export type ProvisionOnDemandRun = z.input<typeof provisionOnDemandSchema>;

/** How long a provision-on-demand job waits for an agent before it expires. */
const JOB_TTL_MS = 10 * 60_000;

function dnOf(payload: unknown): string {
  if (typeof payload === 'object' && payload !== null && 'distinguishedName' in payload) {
    return String(payload.distinguishedName);
  }
  return '';
}

function toRun(job: JobRecord, configurationId: string): ProvisionOnDemandRun {
  const result = agentJobResultSchema.safeParse(job.result);
  const error = result.success ? result.data.error : undefined;
  return {
    id: job.id,
    configurationId,
    distinguishedName: dnOf(job.payload),
    state: job.state,
    steps: result.success ? result.data.steps : [],
    error: error ? { code: error.code, message: error.message } : null,
    createdAt: job.createdAt,
    completedAt: job.completedAt,
  };
}

export interface ProvisionOnDemand {
  /** Queues the run for an agent of the configuration's domain; waits up to `waitMs` for its answer. */
  start(configurationId: string, distinguishedName: string, waitMs: number): Promise<ProvisionOnDemandRun>;
  /** A run of this configuration, or Graph's 404. */
  get(configurationId: string, runId: string): Promise<ProvisionOnDemandRun>;
}

/**
 * Provision on demand: the cloud stores the request and the agent's step-by-step answer; the agent
 * runs the object through import → scope → map → export itself.
 */
export function createProvisionOnDemand(deps: {
  jobs: JobQueue;
  configurations: SyncConfigurations;
}): ProvisionOnDemand {
  async function get(configurationId: string, runId: string) {
    const job = await deps.jobs.get(runId);
    if (job?.kind !== 'provision-on-demand' || job.configurationId !== configurationId) throw notFound(runId);
    return toRun(job, configurationId);
  }
  return {
    async start(configurationId, distinguishedName, waitMs) {
      const configuration = await deps.configurations.get(configurationId);
      const id = await deps.jobs.enqueue({
        kind: 'provision-on-demand',
        target: { domain: configuration.domain.dnsName },
        configurationId,
        payload: { distinguishedName },
        ttlMs: JOB_TTL_MS,
      });
      if (waitMs > 0) await deps.jobs.waitForJobResult(id, waitMs);
      return get(configurationId, id);
    },
    get,
  };
}
