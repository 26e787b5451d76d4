import { z } from 'zod';
import { guidSchema, idSchema, timestampSchema } from '../common.js';
import { LIMITS } from '../limits.js';

const usn = z.string().regex(/^\d{1,20}$/, 'a USN as a decimal string (64-bit)');

/** MS-DRSR replication watermark (USN_VECTOR plus the up-to-dateness vector), as JSON. */
export const drsrWatermarkSchema = z.object({
  /** invocationId of the DC the watermark belongs to; another DC means a full replication. */
  invocationId: guidSchema,
  highObjUpdate: usn,
  highPropUpdate: usn,
  upToDateness: z.array(z.object({ invocationId: guidSchema, usnHighPropUpdate: usn })).max(1_000),
});
export type DrsrWatermark = z.infer<typeof drsrWatermarkSchema>;

/**
 * The agent's cursors for one configuration. They stay on the agent (its state file); this schema
 * exists so the agent validates what it reads back, and so the admin center can show it on request.
 */
export const agentCursorSchema = z.object({
  configurationId: idSchema,
  configurationVersion: z.int().min(0),
  /** DirSync cookie, base64; null before the first full import. */
  dirSyncCookie: z.base64().max(LIMITS.cookieLength).nullable(),
  /** The DC the cookie came from (cookies are DC-specific). */
  domainController: z.string().max(LIMITS.dnsNameLength).nullable(),
  drsrWatermark: drsrWatermarkSchema.nullable(),
  lastCycleId: idSchema.nullable(),
  updatedAt: timestampSchema,
});
export type AgentCursor = z.infer<typeof agentCursorSchema>;
