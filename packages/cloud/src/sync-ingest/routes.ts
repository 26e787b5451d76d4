import {
  AGENT_ROUTES,
  changeSetPageSchema,
  cycleAcknowledgementSchema,
  cycleEndSchema,
  hashEnvelopeBatchAcknowledgementSchema,
  hashEnvelopeBatchSchema,
  idSchema,
  pageAcknowledgementSchema,
} from '@cloudsync/protocol';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { CloudSync } from '../agents/index.js';
import { parseMessage } from '../agents/index.js';
import { GLOBAL_ADMIN } from '../api/access.js';
import { type AnyRoute, defineRoute } from '../api/route.js';
import { idParams, noBody } from '../api/schemas/common.js';
import { badRequest, notFound } from '../errors.js';
import type { PasswordHashSync } from '../password-hash-sync/store-envelopes.js';
import type { SyncIngest } from './cycles.js';
import { toProvisioningObjectSummary } from './provisioning-log.js';

const cycleParams = z.object({ cycleId: idSchema });

/** The agent's half: pages, cycle ends, password hashes (protocol error bodies; see `installAgentErrors`). */
export function registerIngestAgentRoutes(
  scope: FastifyInstance,
  deps: {
    ingest: SyncIngest;
    passwordHashSync: PasswordHashSync;
    cloudSync: Pick<CloudSync, 'requireAgent'>;
  },
): void {
  scope.post(AGENT_ROUTES.cyclePage, async (request) => {
    const agent = await deps.cloudSync.requireAgent(request);
    const { cycleId } = parseMessage(cycleParams, request.params);
    const page = parseMessage(changeSetPageSchema, request.body);
    return pageAcknowledgementSchema.parse(await deps.ingest.handlePage(agent, cycleId, page));
  });
  scope.post(AGENT_ROUTES.cycleEnd, async (request) => {
    const agent = await deps.cloudSync.requireAgent(request);
    const { cycleId } = parseMessage(cycleParams, request.params);
    const end = parseMessage(cycleEndSchema, request.body);
    return cycleAcknowledgementSchema.parse(await deps.ingest.handleEnd(agent, cycleId, end));
  });
  scope.post(AGENT_ROUTES.passwordHashes, async (request) => {
    const agent = await deps.cloudSync.requireAgent(request);
    const batch = parseMessage(hashEnvelopeBatchSchema, request.body);
    return hashEnvelopeBatchAcknowledgementSchema.parse(
      await deps.passwordHashSync.handleBatch(agent, batch),
    );
  });
}

const identity = z.object({
  id: z.string().nullable(),
  displayName: z.string().nullable(),
  identityType: z.string(),
});
const provisioningSchema = z.object({
  id: z.string(),
  activityDateTime: z.string(),
  cycleId: z.string(),
  jobId: z.string(),
  changeId: z.string(),
  provisioningAction: z.string(),
  cloudsyncAction: z.string(),
  statusInfo: z.object({
    status: z.string(),
    errorInformation: z
      .object({ errorCode: z.string().nullable(), reason: z.string().nullable() })
      .nullable(),
  }),
  sourceIdentity: identity,
  targetIdentity: identity,
  modifiedProperties: z.array(
    z.object({ displayName: z.string(), oldValue: z.string().nullable(), newValue: z.string().nullable() }),
  ),
  provisioningSteps: z.array(
    z.object({
      name: z.string(),
      provisioningStepType: z.string(),
      status: z.string(),
      description: z.string(),
    }),
  ),
});

const listQuery = z.object({
  configurationId: z.string().max(64).optional(),
  status: z.enum(['success', 'warning', 'failure', 'skipped']).optional(),
  action: z.enum(['create', 'update', 'delete', 'disable', 'other']).optional(),
  identity: z.string().max(256).optional(),
  since: z.iso.datetime().optional(),
  until: z.iso.datetime().optional(),
  top: z.coerce.number().int().min(1).max(999).default(100),
  before: z.string().max(64).optional(),
});

/** A staged deletion as the held and rejected deletion lists show it. */
const stagedDeletion = z.object({
  anchor: z.string(),
  objectType: z.string(),
  op: z.string(),
  distinguishedName: z.string().nullable(),
});

const ACTIONS_OF: Record<string, string[]> = {
  create: ['Create'],
  update: ['Update', 'Restore'],
  delete: ['Delete', 'StagedDelete'],
  disable: ['Disable'],
  other: ['Skip', 'Other'],
};

/** The admin's half: provisioning logs, held deletions (approve / reject). */
export function ingestAdminRoutes(deps: { ingest: SyncIngest; publicUrl: string }): AnyRoute[] {
  const { db } = deps.ingest;
  return [
    defineRoute({
      method: 'GET',
      url: '/v1.0/auditLogs/provisioning',
      roles: GLOBAL_ADMIN,
      params: z.object({}),
      body: z.undefined(),
      response: z.object({
        '@odata.context': z.string(),
        '@odata.nextLink': z.string().optional(),
        value: z.array(provisioningSchema),
      }),
      handler: async ({ request }) => {
        const parsed = listQuery.safeParse(request.query);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          throw badRequest(
            `Invalid query option '${String(issue?.path[0] ?? '')}': ${issue?.message ?? ''}`,
            String(issue?.path[0] ?? ''),
          );
        }
        const q = parsed.data;
        let query = db.selectFrom('provisioning_logs').selectAll();
        if (q.configurationId) query = query.where('configuration_id', '=', q.configurationId);
        if (q.status) query = query.where('status', '=', q.status);
        if (q.action) query = query.where('action', 'in', ACTIONS_OF[q.action] ?? []);
        if (q.since) query = query.where('created_at', '>=', new Date(q.since).toISOString());
        if (q.until) query = query.where('created_at', '<=', new Date(q.until).toISOString());
        if (q.before) query = query.where('id', '<', q.before);
        if (q.identity) {
          const needle = q.identity;
          query = query.where((eb) =>
            eb.or([
              eb('source_anchor', '=', needle),
              eb('target_id', '=', needle),
              eb('target_name', '=', needle),
              eb('source_dn', '=', needle),
            ]),
          );
        }
        const rows = await query
          .orderBy('id', 'desc')
          .limit(q.top + 1)
          .execute();
        const page = rows.slice(0, q.top);
        const last = page.at(-1);
        const next = new URL(`${deps.publicUrl}/v1.0/auditLogs/provisioning`);
        for (const [k, v] of Object.entries(request.query as Record<string, string>))
          if (k !== 'before') next.searchParams.set(k, v);
        if (last) next.searchParams.set('before', last.id);
        return {
          '@odata.context': `${deps.publicUrl}/v1.0/$metadata#auditLogs/provisioning`,
          ...(rows.length > q.top && last ? { '@odata.nextLink': next.toString() } : {}),
          value: page.map(toProvisioningObjectSummary),
        };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1.0/cloudsync/configurations/:id/heldDeletions',
      roles: GLOBAL_ADMIN,
      params: idParams,
      body: z.undefined(),
      response: z.object({
        cycleId: z.string().nullable(),
        heldAt: z.string().nullable(),
        reason: z.string().nullable(),
        value: z.array(stagedDeletion),
      }),
      handler: async ({ params }) => {
        const held = await deps.ingest.heldDeletes(params.id);
        return {
          cycleId: held?.cycle.id ?? null,
          heldAt: held?.cycle.ended_at ?? null,
          reason: held?.cycle.reason ?? null,
          value: held?.deletes ?? [],
        };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1.0/cloudsync/configurations/:id/heldDeletions/approve',
      roles: GLOBAL_ADMIN,
      params: idParams,
      body: noBody,
      response: z.object({ deleted: z.number() }),
      handler: async ({ params, principal }) => {
        const done = await deps.ingest.approveHeld(params.id, principal);
        if (!done) throw notFound(`held deletions of ${params.id}`);
        return done;
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1.0/cloudsync/configurations/:id/heldDeletions/reject',
      roles: GLOBAL_ADMIN,
      params: idParams,
      body: noBody,
      response: z.object({ rejected: z.number() }),
      handler: async ({ params, principal }) => {
        const done = await deps.ingest.rejectHeld(params.id, principal);
        if (!done) throw notFound(`held deletions of ${params.id}`);
        return done;
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1.0/cloudsync/configurations/:id/rejectedDeletions',
      roles: GLOBAL_ADMIN,
      params: idParams,
      body: z.undefined(),
      response: z.object({ value: z.array(stagedDeletion.extend({ rejection: z.string() })) }),
      handler: async ({ params }) => ({
        value: (await deps.ingest.keptObjects(params.id)).map((k) => ({
          ...k.staged,
          rejection: k.rejection,
        })),
      }),
    }),
    defineRoute({
      method: 'POST',
      url: '/v1.0/cloudsync/configurations/:id/rejectedDeletions/approve',
      roles: GLOBAL_ADMIN,
      params: idParams,
      body: noBody,
      response: z.object({ deleted: z.number() }),
      handler: async ({ params, principal }) => deps.ingest.approveRejected(params.id, principal),
    }),
  ];
}
