import { z } from 'zod';
import { idSchema, timestampSchema } from '../common.js';
import { LIMITS } from '../limits.js';
import { changeSchema } from './change.js';

export const cycleKindSchema = z.enum(['full', 'delta']);
export type CycleKind = z.infer<typeof cycleKindSchema>;

const cycleIdentity = {
  configurationId: idSchema,
  /** The configuration version the agent mapped and scoped with. */
  configurationVersion: z.int().min(0),
  /** Chosen by the agent (a UUID) when the cycle starts. */
  cycleId: idSchema,
  kind: cycleKindSchema,
};

/**
 * `POST /agent/v1/cycles/{cycleId}/pages` — one page of a cycle. `sequence` starts at 1 and grows
 * by one per page; resending a page with the same cycle id and sequence is harmless (idempotent).
 */
export const changeSetPageSchema = z.object({
  ...cycleIdentity,
  sequence: z.int().min(1).max(1_000_000),
  changes: z.array(changeSchema).max(LIMITS.changesPerPage),
});
export type ChangeSetPage = z.infer<typeof changeSetPageSchema>;

export const cycleCountsSchema = z.object({
  upserts: z.int().min(0),
  deletes: z.int().min(0),
  outOfScope: z.int().min(0),
  /** Objects read from AD but unchanged since the last export, so not sent. */
  unchanged: z.int().min(0),
  /** Objects the agent could not map: sent as `skipped` changes (the cloud logs each as a failure). */
  skipped: z.int().min(0).optional(),
});
export type CycleCounts = z.infer<typeof cycleCountsSchema>;

/**
 * `POST /agent/v1/cycles/{cycleId}/end` — the end-of-cycle marker. `pages` is the last sequence
 * sent; the cloud answers only once it holds every page. After a `full` cycle, cloud objects of the
 * configuration that no page mentioned are deleted (subject to the accidental-delete guard).
 */
export const cycleEndSchema = z.object({
  ...cycleIdentity,
  pages: z.int().min(0).max(1_000_000),
  counts: cycleCountsSchema,
  startedAt: timestampSchema,
  endedAt: timestampSchema,
});
export type CycleEnd = z.infer<typeof cycleEndSchema>;
