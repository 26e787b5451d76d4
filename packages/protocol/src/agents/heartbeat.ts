import { z } from 'zod';
import { idSchema, timestampSchema, versionStringSchema } from '../common.js';
import { errorBodySchema } from '../errors/error-body.js';

export const agentRunStatusSchema = z.enum(['idle', 'syncing', 'degraded', 'error']);
export type AgentRunStatus = z.infer<typeof agentRunStatusSchema>;

/** The cycle the agent is running, if any. */
export const currentCycleSchema = z.object({
  cycleId: idSchema,
  configurationId: idSchema,
  kind: z.enum(['full', 'delta']),
  startedAt: timestampSchema,
  /** Pages sent so far. */
  pagesSent: z.int().min(0),
});

/** `POST /agent/v1/agents/{agentId}/heartbeat`, every 60 s and after each cycle. */
export const heartbeatRequestSchema = z.object({
  status: agentRunStatusSchema,
  currentCycle: currentCycleSchema.nullable(),
  versions: z.object({
    agent: versionStringSchema,
    /** The protocol version the agent speaks, e.g. `1`. */
    protocol: z.string().regex(/^\d{1,4}$/),
    node: versionStringSchema.optional(),
  }),
  /** The configuration versions the agent runs with, by configuration id. */
  configurationVersions: z
    .record(idSchema, z.int().min(0))
    .refine((r) => Object.keys(r).length <= 50, 'at most 50 configurations'),
  lastError: errorBodySchema.nullable(),
  sentAt: timestampSchema,
});
export type HeartbeatRequest = z.infer<typeof heartbeatRequestSchema>;

/**
 * The cloud's answer: what changed that the agent should act on. A configuration whose version
 * differs from the one the agent runs is pulled again before the next cycle.
 */
export const heartbeatResponseSchema = z.object({
  serverTime: timestampSchema,
  configurations: z.array(z.object({ id: idSchema, version: z.int().min(0) })).max(50),
  /** Writeback jobs waiting: the agent long-polls when this is above zero or writeback is on. */
  pendingWritebackJobs: z.int().min(0),
  /** Other jobs waiting (provision on demand): the agent long-polls `GET /agent/v1/jobs` when above zero. */
  pendingJobs: z.int().min(0).default(0),
  /** Asks the agent to start a cycle now (admin pressed "restart sync"). */
  runNow: z.array(z.object({ configurationId: idSchema, kind: z.enum(['full', 'delta']) })).max(50),
});
export type HeartbeatResponse = z.infer<typeof heartbeatResponseSchema>;
