import { attributeMappingSchema, targetValueSchema } from '@cloudsync/protocol';
import { previewMappings } from '@cloudsync/sync-engine';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { GLOBAL_ADMIN } from '../api/access.js';
import { type AnyRoute, defineRoute } from '../api/route.js';
import { idParams } from '../api/schemas/common.js';
import { badRequest } from '../errors.js';
import type { SyncIngestDatabase } from '../sync-ingest/schema.js';

const cyclesQuery = z.object({ top: z.coerce.number().int().min(1).max(200).default(50) });

const cycleSchema = z.object({
  id: z.string(),
  kind: z.string(),
  state: z.string(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  durationSeconds: z.number().nullable(),
  counts: z.record(z.string(), z.number()),
  reason: z.string().nullable(),
});

const sampleValue = z.union([z.string().max(4096), z.number(), z.boolean(), z.null()]);
const previewBody = z.strictObject({
  objectType: z.enum(['user', 'group', 'contact']),
  mappings: z.array(attributeMappingSchema).min(1).max(100),
  sample: z.record(
    z.string().min(1).max(128),
    z.union([sampleValue, z.array(z.union([z.string().max(4096), z.number(), z.boolean()])).max(100)]),
  ),
});
const previewSchema = z.object({
  ok: z.boolean(),
  target: z.string(),
  value: targetValueSchema.optional(),
  valueOnCreation: targetValueSchema.optional(),
  ignored: z.boolean().optional(),
  inputs: z.record(z.string(), z.unknown()).optional(),
  message: z.string().optional(),
  pointer: z.string().optional(),
});

function countsOf(text: string): Record<string, number> {
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null) return {};
  return Object.fromEntries(
    Object.entries(parsed).filter((e): e is [string, number] => typeof e[1] === 'number'),
  );
}

/**
 * Routes the admin center needs beside the Graph-shaped API: the recent cycles of a configuration
 * (sync health charts) and the attribute-mapping preview against a sample object.
 */
export function adminCenterRoutes(deps: { db: Kysely<SyncIngestDatabase>; publicUrl: string }): AnyRoute[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/v1.0/cloudsync/configurations/:id/cycles',
      roles: GLOBAL_ADMIN,
      params: idParams,
      body: z.undefined(),
      response: z.object({ '@odata.context': z.string(), value: z.array(cycleSchema) }),
      handler: async ({ params, request }) => {
        const query = cyclesQuery.safeParse(request.query);
        if (!query.success) throw badRequest("Invalid query option 'top'.", 'top');
        const rows = await deps.db
          .selectFrom('sync_cycles')
          .selectAll()
          .where('configuration_id', '=', params.id)
          .orderBy('started_at', 'desc')
          .limit(query.data.top)
          .execute();
        return {
          '@odata.context': `${deps.publicUrl}/v1.0/$metadata#cloudsync/configurations/cycles`,
          value: rows.map((r) => ({
            id: r.id,
            kind: r.kind,
            state: r.state,
            startedAt: r.started_at,
            endedAt: r.ended_at,
            durationSeconds: r.ended_at
              ? Math.max(0, (Date.parse(r.ended_at) - Date.parse(r.started_at)) / 1000)
              : null,
            counts: countsOf(r.counts),
            reason: r.reason,
          })),
        };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1.0/cloudsync/mappingPreview',
      roles: GLOBAL_ADMIN,
      params: z.object({}),
      body: previewBody,
      response: z.object({ value: z.array(previewSchema) }),
      handler: async ({ body }) => ({ value: previewMappings(body.objectType, body.mappings, body.sample) }),
    }),
  ];
}
