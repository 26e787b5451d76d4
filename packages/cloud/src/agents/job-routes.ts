import {
  AGENT_ROUTES,
  agentJobPollResponseSchema,
  agentJobResultSchema,
  agentJobSchema,
  idSchema,
  LIMITS,
  ProtocolError,
  writebackPollResponseSchema,
  writebackResultSchema,
} from '@cloudsync/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { parseMessage } from './agent-http.js';
import type { AgentRecord } from './agent-registry.js';
import { AGENT_JOB_KINDS, WRITEBACK_JOB_KINDS } from './job-kinds.js';
import type { ClaimedJob, JobQueue } from './jobs.js';
import { toWritebackJob } from './writeback-jobs.js';

export interface JobRouteDeps {
  jobs: JobQueue;
  requireAgent(request: FastifyRequest): Promise<AgentRecord>;
}

const pollQuery = z.object({ wait: z.coerce.number().int().min(0).max(LIMITS.longPollSeconds).default(0) });
const jobParams = z.object({ jobId: idSchema });

/** Long-polls the queue for `kinds`, giving up early when the agent hangs up. */
async function longPoll(
  deps: JobRouteDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  kinds: readonly string[],
) {
  const agent = await deps.requireAgent(request);
  const { wait } = parseMessage(pollQuery, request.query);
  const hangUp = new AbortController();
  reply.raw.once('close', () => hangUp.abort());
  return deps.jobs.poll(
    { agentId: agent.id, domains: agent.domains },
    { kinds, limit: LIMITS.jobsPerPoll, waitMs: wait * 1000, signal: hangUp.signal },
  );
}

function toAgentJob(claimed: ClaimedJob) {
  const payload = typeof claimed.payload === 'object' && claimed.payload !== null ? claimed.payload : {};
  const parsed = agentJobSchema.safeParse({
    ...payload,
    jobId: claimed.id,
    kind: claimed.kind,
    configurationId: claimed.configurationId,
    expiresAt: claimed.expiresAt,
  });
  return parsed.success ? parsed.data : undefined;
}

/** `GET /agent/v1/writeback/jobs`, `GET /agent/v1/jobs` (long-polls) and their `…/:jobId/result`. */
export function registerJobRoutes(scope: FastifyInstance, deps: JobRouteDeps): void {
  scope.get(AGENT_ROUTES.writebackJobs, async (request, reply) => {
    const claimed = await longPoll(deps, request, reply, WRITEBACK_JOB_KINDS);
    const jobs = claimed.map(toWritebackJob).filter((j) => j !== undefined);
    return writebackPollResponseSchema.parse({ jobs });
  });

  scope.post(AGENT_ROUTES.writebackResult, async (request, reply) => {
    const agent = await deps.requireAgent(request);
    const { jobId } = parseMessage(jobParams, request.params);
    const result = parseMessage(writebackResultSchema, request.body);
    if (result.jobId !== jobId) throw new ProtocolError('VALIDATION_FAILED', 'jobId differs from the URL.');
    await deps.jobs.complete(jobId, agent.id, { status: result.status, result });
    return reply.code(204).send();
  });

  scope.get(AGENT_ROUTES.jobs, async (request, reply) => {
    const claimed = await longPoll(deps, request, reply, AGENT_JOB_KINDS);
    const jobs = claimed.map(toAgentJob).filter((j) => j !== undefined);
    return agentJobPollResponseSchema.parse({ jobs });
  });

  scope.post(AGENT_ROUTES.jobResult, async (request, reply) => {
    const agent = await deps.requireAgent(request);
    const { jobId } = parseMessage(jobParams, request.params);
    const result = parseMessage(agentJobResultSchema, request.body);
    if (result.jobId !== jobId) throw new ProtocolError('VALIDATION_FAILED', 'jobId differs from the URL.');
    await deps.jobs.complete(jobId, agent.id, { status: result.status, result });
    return reply.code(204).send();
  });
}
