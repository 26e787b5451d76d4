import {
  attributeMappingsSchema,
  configurationDomainSchema,
  distinguishedNameSchema,
  provisioningStepSchema,
  scopeSchema,
  syncConfigurationSchema,
} from '@cloudsync/protocol';
import { z } from 'zod';

const deleteGuardBody = z.strictObject({
  enabled: z.boolean().optional(),
  threshold: z.int().min(1).max(1_000_000).optional(),
});

const editable = {
  passwordHashSync: z.boolean().optional(),
  passwordWriteback: z.boolean().optional(),
  scope: scopeSchema.optional(),
  mappings: attributeMappingsSchema.optional(),
  deleteGuard: deleteGuardBody.optional(),
  notificationEmail: z.email().max(254).nullable().optional(),
  enabled: z.boolean().optional(),
};

/** `POST /v1.0/cloudsync/configurations`: the domain is required, the rest has defaults. */
export const newConfigurationBody = z.strictObject({
  domain: z.strictObject(configurationDomainSchema.shape),
  ...editable,
});

/** `PATCH /v1.0/cloudsync/configurations/{id}`; `domain` is accepted only to be refused by name. */
export const configurationPatchBody = z.strictObject({ ...editable, domain: z.unknown().optional() });

/** A configuration in the admin API. */
export const configurationSchema = syncConfigurationSchema.extend({
  restartPending: z.boolean(),
  status: z.object({
    state: z.enum(['healthy', 'quarantine', 'error', 'disabled']),
    reason: z.string().nullable(),
    lastCycleAt: z.string().nullable(),
    lastCycleCounts: z.record(z.string(), z.number()).nullable(),
    updatedAt: z.string().nullable(),
  }),
  createdAt: z.string(),
});

/** `POST …/provisionOnDemand`: one object by DN; `waitSeconds` to wait for the agent's answer. */
export const provisionOnDemandBody = z.strictObject({
  distinguishedName: distinguishedNameSchema,
  waitSeconds: z.int().min(0).max(60).optional(),
});

/** A provision-on-demand run: queued, running, or done with its steps. */
export const provisionOnDemandSchema = z.object({
  id: z.string(),
  configurationId: z.string(),
  distinguishedName: z.string(),
  state: z.enum(['queued', 'claimed', 'succeeded', 'failed', 'expired', 'cancelled']),
  steps: z.array(provisioningStepSchema),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  createdAt: z.string(),
  completedAt: z.string().nullable(),
});
