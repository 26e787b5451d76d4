import { z } from 'zod';
import { dnsNameSchema, idSchema, safeText, timestampSchema, versionStringSchema } from '../common.js';
import { LIMITS } from '../limits.js';
import { agentRunStatusSchema } from './heartbeat.js';

/** An agent as the admin center lists it. `inactive` means no contact for more than 10 minutes. */
export const agentViewSchema = z.object({
  id: idSchema,
  host: safeText(LIMITS.hostLength).min(1),
  version: versionStringSchema,
  domains: z.array(dnsNameSchema).max(LIMITS.domainsPerAgent),
  lastContact: timestampSchema.nullable(),
  status: z.enum(['active', 'inactive']),
  runStatus: agentRunStatusSchema.nullable(),
  registeredAt: timestampSchema,
});
export type AgentView = z.infer<typeof agentViewSchema>;

/** Minutes without a heartbeat after which an agent shows as inactive. */
export const AGENT_INACTIVE_AFTER_MINUTES = 10;
