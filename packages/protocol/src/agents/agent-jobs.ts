import { z } from 'zod';
import { distinguishedNameSchema, idSchema, messageSchema, timestampSchema } from '../common.js';
import { errorBodySchema } from '../errors/error-body.js';
import { LIMITS } from '../limits.js';

/** Provision on demand: run one object (by DN) through the configuration's pipeline now. */
export const provisionOnDemandJobSchema = z.object({
  jobId: idSchema,
  kind: z.literal('provision-on-demand'),
  configurationId: idSchema,
  distinguishedName: distinguishedNameSchema,
  expiresAt: timestampSchema,
});

/** A job of the generic queue, cloud → agent (writeback jobs have their own route). */
export const agentJobSchema = z.discriminatedUnion('kind', [provisionOnDemandJobSchema]);
export type AgentJob = z.infer<typeof agentJobSchema>;

/** `GET /agent/v1/jobs?wait=<s>` — long-poll, like the writeback jobs. */
export const agentJobPollResponseSchema = z.object({
  jobs: z.array(agentJobSchema).max(LIMITS.jobsPerPoll),
});
export type AgentJobPollResponse = z.infer<typeof agentJobPollResponseSchema>;

/** One step of a provision-on-demand run (import, scope, match, map, export), as the admin sees it. */
export const provisioningStepSchema = z.object({
  name: z.string().min(1).max(64),
  status: z.enum(['succeeded', 'skipped', 'failed']),
  description: messageSchema,
  details: z
    .record(z.string().max(64), z.union([z.string().max(1024), z.number(), z.boolean(), z.null()]))
    .refine((d) => Object.keys(d).length <= 64, 'at most 64 details')
    .optional(),
});
export type ProvisioningStep = z.infer<typeof provisioningStepSchema>;

/** `POST /agent/v1/jobs/{jobId}/result` — the outcome of a generic job. */
export const agentJobResultSchema = z.object({
  jobId: idSchema,
  status: z.enum(['succeeded', 'failed']),
  steps: z.array(provisioningStepSchema).max(32).default([]),
  error: errorBodySchema.optional(),
});
export type AgentJobResult = z.infer<typeof agentJobResultSchema>;
