import { randomUUID } from 'node:crypto';
import { ProtocolError, type WritebackJob, writebackJobSchema } from '@cloudsync/protocol';
import type { AgentRegistry } from './agent-registry.js';
import type { ClaimedJob, JobQueue, JobRecord, JobTarget } from './jobs.js';
import { sealForAgent } from './seal-secret.js';

/** A writeback job as the password-reset code queues it: everything but the expiry. */
export type NewWritebackJob = Omit<WritebackJob, 'expiresAt'>;

/**
 * Queues a password writeback job; `job.jobId` must be the id sealed inside `job.encrypted`.
 * @example
 *   const jobId = randomUUID();
 *   const encrypted = await sealSecret(agent.publicJwk, { jobId, newPassword });
 *   await enqueueWriteback(jobs, { jobId, kind: 'password-reset', encrypted, ... }, { domain }, 30_000);
 *   const outcome = await jobs.waitForJobResult(jobId, 30_000);
 */
export async function enqueueWriteback(
  jobs: JobQueue,
  job: NewWritebackJob,
  target: JobTarget,
  ttlMs: number,
): Promise<string> {
  const { jobId, ...payload } = job;
  return jobs.enqueue({
    id: jobId,
    kind: job.kind,
    target,
    configurationId: job.configurationId,
    payload,
    ttlMs,
  });
}

/** The wire form of a claimed writeback job; undefined when its stored payload is not one. */
export function toWritebackJob(claimed: ClaimedJob): WritebackJob | undefined {
  const payload = typeof claimed.payload === 'object' && claimed.payload !== null ? claimed.payload : {};
  const parsed = writebackJobSchema.safeParse({
    ...payload,
    jobId: claimed.id,
    expiresAt: claimed.expiresAt,
  });
  return parsed.success ? parsed.data : undefined;
}

/** A password writeback as the password-reset code asks for it; the password is sealed here. */
export interface WritebackRequest {
  configurationId: string;
  /** DNS name of the user's AD domain: an active agent of it gets the job. */
  domain: string;
  kind: WritebackJob['kind'];
  anchor: string;
  distinguishedName: string;
  newPassword: string;
  oldPassword?: string;
  unlockAccount: boolean;
  forceChangeAtNextLogon: boolean;
  ttlMs: number;
}

/**
 * Picks the most recently seen active agent of the domain, seals the password to its key and queues
 * the job for that agent alone (only its private key opens the JWE). `AGENT_NOT_FOUND` when no
 * active agent serves the domain.
 * @example
 *   const { jobId } = await queueWriteback({ registry, jobs }, { ...request, ttlMs: 30_000 });
 *   const outcome = await jobs.waitForJobResult(jobId, 30_000);
 */
export async function queueWriteback(
  deps: { registry: AgentRegistry; jobs: JobQueue },
  request: WritebackRequest,
): Promise<{ jobId: string; agentId: string }> {
  const domain = request.domain.toLowerCase();
  const [agent] = (await deps.registry.list())
    .filter((a) => a.domains.includes(domain) && deps.registry.view(a).status === 'active')
    .sort((a, b) => (b.lastContact ?? '').localeCompare(a.lastContact ?? ''));
  if (!agent)
    throw new ProtocolError(
      'AGENT_NOT_FOUND',
      'No active agent serves this domain: writeback is unavailable.',
    );
  const jobId = randomUUID();
  const encrypted = await sealForAgent(agent.publicJwk, {
    jobId,
    newPassword: request.newPassword,
    ...(request.oldPassword === undefined ? {} : { oldPassword: request.oldPassword }),
  });
  const job = {
    jobId,
    configurationId: request.configurationId,
    kind: request.kind,
    anchor: request.anchor,
    distinguishedName: request.distinguishedName,
    encrypted,
    unlockAccount: request.unlockAccount,
    forceChangeAtNextLogon: request.forceChangeAtNextLogon,
  };
  await enqueueWriteback(deps.jobs, job, { agentId: agent.id }, request.ttlMs);
  return { jobId, agentId: agent.id };
}

/**
 * Waits up to `ms` for the answer to a job an agent claimed, also past the job's expiry (the agent
 * may still answer a job it holds). The record once succeeded, failed or cancelled; undefined
 * when none of these came in time. `unref`: the wait does not keep the process alive.
 * @example
 *   if (!(await jobs.cancel(jobId))) late = await waitForAnswer(jobs, jobId, 5_000);
 */
export async function waitForAnswer(
  jobs: Pick<JobQueue, 'get'>,
  jobId: string,
  ms: number,
  options: { intervalMs?: number; unref?: boolean } = {},
): Promise<JobRecord | undefined> {
  const deadline = Date.now() + ms;
  for (;;) {
    const job = await jobs.get(jobId);
    if (job && (job.state === 'succeeded' || job.state === 'failed' || job.state === 'cancelled')) return job;
    if (!job || Date.now() >= deadline) return undefined;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, Math.min(options.intervalMs ?? 200, deadline - Date.now()));
      if (options.unref) timer.unref();
    });
  }
}
