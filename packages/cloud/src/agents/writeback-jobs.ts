import { type WritebackJob, writebackJobSchema } from '@cloudsync/protocol';
import type { ClaimedJob, JobQueue, JobTarget } from './jobs.js';

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
