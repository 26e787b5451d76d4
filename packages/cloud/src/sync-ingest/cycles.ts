import {
  type ChangeSetPage,
  type CycleAcknowledgement,
  type CycleEnd,
  type PageAcknowledgement,
  ProtocolError,
} from '@cloudsync/protocol';
import type { Kysely } from 'kysely';
import type { AgentRecord, CloudSync } from '../agents/index.js';
import type { Actor } from '../directory/actor.js';
import type { Clock } from '../directory/clock.js';
import type { Directory } from '../directory/index.js';
import type { Database } from '../store/schema.js';
import type { ConfigurationView } from '../sync-config/configuration-store.js';
import type { SyncNotifications } from '../sync-notifications/index.js';
import {
  type ApplyContext,
  type Counts,
  type Outcome,
  safeMessage,
  tally,
  zeroCounts,
} from './apply-context.js';
import { applyDelete, type StagedDelete } from './apply-delete.js';
import { applyMembers } from './apply-members.js';
import { applyPage } from './apply-page.js';
import { cycleFailure, objectErrors, readHealth, recordCycleOutcome } from './health.js';
import { deciderName, keptObjects, logKept, rejectDeletes, sortStagedDeletes } from './held-deletions.js';
import { writeLog } from './provisioning-log.js';
import type { SyncCyclesTable, SyncIngestDatabase, SyncIngestTables } from './schema.js';

export interface SyncIngestDeps {
  db: Kysely<Database>;
  directory: Directory;
  cloudSync: Pick<CloudSync, 'configurationForAgent' | 'leases' | 'configurations'>;
  clock: Clock;
  /** E-mails the configuration's notification address about holds, quarantine and recovery. */
  notifications?: Pick<SyncNotifications, 'cycleReported' | 'heldResolved'>;
}

/**
 * The sync ingest: applies the agent's change-set pages and cycle ends (idempotent by cycle and
 * sequence), stages deletions behind the accidental-delete guard, keeps the quarantine, and writes
 * one provisioning-log entry per object per cycle.
 */
export function createSyncIngest(deps: SyncIngestDeps) {
  const db: Kysely<SyncIngestDatabase> = deps.db.withTables<SyncIngestTables>();
  const actor = (agent: Pick<AgentRecord, 'id'>): Actor => ({ kind: 'agent', id: agent.id });

  async function context(
    configurationId: string,
    cycleId: string,
    agent: Pick<AgentRecord, 'id'>,
  ): Promise<ApplyContext> {
    const domains = await deps.directory.domains.list();
    const initial = domains.find((d) => d.isInitial);
    return {
      db,
      directory: deps.directory,
      actor: actor(agent),
      configurationId,
      cycleId,
      now: deps.clock.now().toISOString(),
      verifiedDomains: new Set(domains.filter((d) => d.isVerified).map((d) => d.id.toLowerCase())),
      initialDomain: initial?.id.toLowerCase() ?? 'localhost',
    };
  }

  async function openCycle(agent: AgentRecord, page: ChangeSetPage): Promise<SyncCyclesTable> {
    const existing = await db
      .selectFrom('sync_cycles')
      .selectAll()
      .where('id', '=', page.cycleId)
      .executeTakeFirst();
    if (existing) {
      if (existing.configuration_id !== page.configurationId || existing.agent_id !== agent.id) {
        throw new ProtocolError(
          'CYCLE_NOT_FOUND',
          'This cycle id belongs to another configuration or agent.',
        );
      }
      return existing;
    }
    const row: SyncCyclesTable = {
      id: page.cycleId,
      configuration_id: page.configurationId,
      agent_id: agent.id,
      kind: page.kind,
      configuration_version: page.configurationVersion,
      state: 'open',
      committed_through: 0,
      started_at: deps.clock.now().toISOString(),
      ended_at: null,
      counts: JSON.stringify(zeroCounts()),
      code: null,
      reason: null,
    };
    await db
      .insertInto('sync_cycles')
      .values(row)
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    return row;
  }

  /** Refuses cycles of a configuration in quarantine until its backoff has passed. */
  async function assertNotQuarantined(configurationId: string): Promise<void> {
    const health = await readHealth(db, configurationId);
    if (health.quarantinedUntil && health.quarantinedUntil > deps.clock.now()) {
      throw new ProtocolError(
        'CONFIG_QUARANTINED',
        `The configuration is in quarantine until ${health.quarantinedUntil.toISOString()}: ${health.reason ?? 'repeated failures'}.`,
      );
    }
  }

  /** `POST /agent/v1/cycles/:cycleId/pages`. */
  async function handlePage(
    agent: AgentRecord,
    cycleId: string,
    page: ChangeSetPage,
  ): Promise<PageAcknowledgement> {
    if (page.cycleId !== cycleId)
      throw new ProtocolError('VALIDATION_FAILED', 'The path and body name different cycles.');
    await deps.cloudSync.configurationForAgent(agent, page.configurationId, {
      enabled: true,
      version: page.configurationVersion,
    });
    await deps.cloudSync.leases.renewLease(page.configurationId, agent.id, cycleId);
    const stored = await db
      .selectFrom('sync_cycle_pages')
      .select('answer')
      .where('cycle_id', '=', cycleId)
      .where('sequence', '=', page.sequence)
      .executeTakeFirst();
    if (stored) return { ...(JSON.parse(stored.answer) as PageAcknowledgement), duplicate: true };
    await assertNotQuarantined(page.configurationId);
    const cycle = await openCycle(agent, page);
    if (cycle.state !== 'open')
      throw new ProtocolError('CYCLE_NOT_FOUND', `The cycle is already ${cycle.state}.`);
    // A page at or below `committed_through` is a copy that raced the first past the check above:
    // applyPage answers it from the stored answer.
    if (page.sequence > Number(cycle.committed_through) + 1) {
      throw new ProtocolError('SEQUENCE_OUT_OF_ORDER', undefined, {
        expected: Number(cycle.committed_through) + 1,
        sent: page.sequence,
      });
    }
    const ctx = await context(page.configurationId, cycleId, agent);
    return applyPage(deps.db, deps.directory, ctx, page, JSON.parse(cycle.counts));
  }

  async function stagedDeletes(ctx: ApplyContext, cycle: SyncCyclesTable): Promise<StagedDelete[]> {
    const explicit = await db
      .selectFrom('sync_pending_deletes')
      .selectAll()
      .where('cycle_id', '=', cycle.id)
      .execute();
    const out: StagedDelete[] = explicit.map((d) => ({
      anchor: d.anchor,
      objectType: d.object_type,
      op: d.op,
      distinguishedName: d.distinguished_name,
    }));
    if (cycle.kind === 'full') {
      const named = new Set(out.map((d) => d.anchor));
      const unseen = await db
        .selectFrom('sync_objects')
        .selectAll()
        .where('configuration_id', '=', ctx.configurationId)
        .where('state', '=', 'active')
        .where('last_cycle_id', '!=', cycle.id)
        .execute();
      for (const o of unseen) {
        if (!named.has(o.anchor)) {
          out.push({
            anchor: o.anchor,
            objectType: o.object_type,
            op: 'delete',
            distinguishedName: o.distinguished_name,
          });
        }
      }
    }
    return out;
  }

  async function applyDeletes(ctx: ApplyContext, deletes: StagedDelete[], counts: Counts): Promise<void> {
    for (const staged of deletes) {
      let outcome: Outcome;
      try {
        outcome = await applyDelete(ctx, staged);
      } catch (err) {
        outcome = {
          result: 'error',
          action: 'Delete',
          code: 'INTERNAL',
          reason: safeMessage(err),
          modified: [],
          steps: [],
        };
      }
      tally(counts, outcome.result);
      if (outcome.result !== 'skipped') {
        await writeLog(
          db,
          ctx.now,
          {
            configurationId: ctx.configurationId,
            cycleId: ctx.cycleId,
            objectType: staged.objectType,
            anchor: staged.anchor,
            distinguishedName: staged.distinguishedName,
          },
          outcome,
        );
      }
    }
  }

  function acknowledgement(cycle: SyncCyclesTable): CycleAcknowledgement {
    const counts: Counts = JSON.parse(cycle.counts);
    return {
      cycleId: cycle.id,
      cycleState: cycle.state,
      advanceCursor: cycle.state === 'accepted',
      missingSequences: [],
      counts,
      ...(cycle.code ? { code: cycle.code as CycleAcknowledgement['code'] } : {}),
      ...(cycle.reason ? { reason: cycle.reason } : {}),
    };
  }

  async function finish(
    cycle: SyncCyclesTable,
    state: SyncCyclesTable['state'],
    counts: Counts,
    extra: { code?: string; reason?: string } = {},
  ) {
    const done: SyncCyclesTable = {
      ...cycle,
      state,
      ended_at: deps.clock.now().toISOString(),
      counts: JSON.stringify(counts),
      code: extra.code ?? null,
      reason: extra.reason ?? null,
    };
    await db
      .updateTable('sync_cycles')
      .set({ state, ended_at: done.ended_at, counts: done.counts, code: done.code, reason: done.reason })
      .where('id', '=', cycle.id)
      .execute();
    return done;
  }

  async function reportStatus(configuration: Pick<ConfigurationView, 'id'>, counts: Counts, held?: string) {
    const now = deps.clock.now();
    const failure = cycleFailure(counts);
    const health = await recordCycleOutcome(db, configuration.id, now, held ? null : failure);
    const errors = objectErrors(counts);
    const status = health.quarantinedUntil ? 'quarantine' : held || errors ? 'error' : 'healthy';
    const reason = health.quarantinedUntil
      ? `Quarantined after ${health.consecutiveFailures} failed cycles in a row (${failure}); retrying automatically at ${health.quarantinedUntil.toISOString()}.`
      : (held ?? errors);
    await deps.cloudSync.configurations.updateStatus(configuration.id, {
      status,
      reason,
      lastCycleAt: now,
      counts: { ...counts },
    });
    await deps.notifications?.cycleReported({
      configurationId: configuration.id,
      // A cycle that did not fail ends a quarantine or an agent's error, though a few objects failed.
      status: status === 'error' && !held ? 'healthy' : status,
      reason,
      quarantinedUntil: health.quarantinedUntil,
      ...(held ? { held: { deletions: counts.pendingDeletes } } : {}),
    });
  }

  /** `POST /agent/v1/cycles/:cycleId/end`. */
  async function handleEnd(
    agent: AgentRecord,
    cycleId: string,
    end: CycleEnd,
  ): Promise<CycleAcknowledgement> {
    if (end.cycleId !== cycleId)
      throw new ProtocolError('VALIDATION_FAILED', 'The path and body name different cycles.');
    const configuration = await deps.cloudSync.configurationForAgent(agent, end.configurationId, {});
    let cycle = await db.selectFrom('sync_cycles').selectAll().where('id', '=', cycleId).executeTakeFirst();
    if (!cycle && end.pages === 0) {
      // An empty cycle is opened by its end: only by the lease holder, or its row would stay open.
      await deps.cloudSync.leases.renewLease(end.configurationId, agent.id, cycleId);
      cycle = await openCycle(agent, { ...end, sequence: 1, changes: [] });
    }
    if (!cycle || cycle.agent_id !== agent.id) throw new ProtocolError('CYCLE_NOT_FOUND');
    if (cycle.state !== 'open') return acknowledgement(cycle);
    if (Number(cycle.committed_through) < end.pages) {
      const missing = [];
      for (let s = Number(cycle.committed_through) + 1; s <= end.pages && missing.length < 1000; s++)
        missing.push(s);
      return { ...acknowledgement(cycle), advanceCursor: false, missingSequences: missing };
    }
    await deps.cloudSync.leases.renewLease(end.configurationId, agent.id, cycleId);
    const ctx = await context(end.configurationId, cycleId, agent);
    const counts: Counts = JSON.parse(cycle.counts);
    await applyMembers(deps.db, deps.directory, ctx);
    const { toApply: deletes, kept } = await sortStagedDeletes(
      db,
      ctx.configurationId,
      await stagedDeletes(ctx, cycle),
    );
    counts.pendingDeletes = deletes.length;
    const guard = configuration.deleteGuard;
    if (guard.enabled && deletes.length > guard.threshold) {
      const reason = `${deletes.length} deletions in one cycle exceed the accidental-delete threshold of ${guard.threshold}: nothing was deleted. Approve or reject the held deletions.`;
      const held = await finish(cycle, 'held-by-delete-guard', counts, {
        code: 'DELETE_THRESHOLD_EXCEEDED',
        reason,
      });
      await reportStatus(configuration, counts, reason);
      return acknowledgement(held);
    }
    await applyDeletes(ctx, deletes, counts);
    await logKept(ctx, kept, counts);
    const accepted = await finish(cycle, 'accepted', counts);
    await reportStatus(configuration, counts);
    return acknowledgement(accepted);
  }

  /** The held deletions of a configuration's latest held cycle (those that would delete), for the admin to review. */
  async function heldDeletes(configurationId: string) {
    const cycle = await db
      .selectFrom('sync_cycles')
      .selectAll()
      .where('configuration_id', '=', configurationId)
      .where('state', '=', 'held-by-delete-guard')
      .orderBy('started_at', 'desc')
      .executeTakeFirst();
    if (!cycle) return undefined;
    const ctx = await context(configurationId, cycle.id, { id: cycle.agent_id });
    const { toApply } = await sortStagedDeletes(db, configurationId, await stagedDeletes(ctx, cycle));
    return { cycle, deletes: toApply };
  }

  /** The admin approves the held deletions: they are applied now, and older held cycles are closed. */
  async function approveHeld(
    configurationId: string,
    admin: Actor,
  ): Promise<{ deleted: number } | undefined> {
    const held = await heldDeletes(configurationId);
    if (!held) return undefined;
    const ctx = {
      ...(await context(configurationId, held.cycle.id, { id: held.cycle.agent_id })),
      actor: admin,
    };
    const counts: Counts = JSON.parse(held.cycle.counts);
    await applyDeletes(ctx, held.deletes, counts);
    await finish(held.cycle, 'accepted', counts);
    await closeOlderHeld(configurationId);
    const configuration = await deps.cloudSync.configurations.get(configurationId);
    await reportStatus(configuration, counts);
    return { deleted: held.deletes.length };
  }

  /**
   * The admin rejects the held deletions: nothing is deleted, the objects stay (marked, logged) and
   * later cycles neither delete them nor hold for them, so the agent's next cycle is accepted and
   * its cursor moves past them (see `held-deletions.ts`).
   */
  async function rejectHeld(
    configurationId: string,
    admin: Actor,
  ): Promise<{ rejected: number } | undefined> {
    const held = await heldDeletes(configurationId);
    if (!held) return undefined;
    const ctx = {
      ...(await context(configurationId, held.cycle.id, { id: held.cycle.agent_id })),
      actor: admin,
    };
    await rejectDeletes(ctx, held.deletes, admin);
    await finish(held.cycle, 'rejected', JSON.parse(held.cycle.counts), {
      code: 'DELETE_THRESHOLD_EXCEEDED',
      reason: `Deletions rejected by ${deciderName(admin)} on ${ctx.now}.`,
    });
    await closeOlderHeld(configurationId);
    await deps.cloudSync.configurations.updateStatus(configurationId, {
      status: 'healthy',
      reason: `Held deletions were rejected by ${deciderName(admin)}; nothing was deleted.`,
    });
    await deps.notifications?.heldResolved(configurationId);
    return { rejected: held.deletes.length };
  }

  /**
   * The admin deletes the objects kept by earlier rejections after all (no threshold: this is the
   * decision); each is logged under the cycle whose deletions were rejected.
   */
  async function approveRejected(configurationId: string, admin: Actor): Promise<{ deleted: number }> {
    const kept = await keptObjects(db, configurationId);
    const base = { ...(await context(configurationId, '', { id: '' })), actor: admin };
    const counts = zeroCounts();
    for (const k of kept) await applyDeletes({ ...base, cycleId: k.cycleId }, [k.staged], counts);
    return { deleted: counts.applied };
  }

  async function closeOlderHeld(configurationId: string) {
    await db
      .updateTable('sync_cycles')
      .set({ state: 'rejected', reason: 'Superseded by a later decision on held deletions.' })
      .where('configuration_id', '=', configurationId)
      .where('state', '=', 'held-by-delete-guard')
      .execute();
  }

  return {
    handlePage,
    handleEnd,
    heldDeletes,
    approveHeld,
    rejectHeld,
    keptObjects: (configurationId: string) => keptObjects(db, configurationId),
    approveRejected,
    db,
  };
}

export type SyncIngest = ReturnType<typeof createSyncIngest>;
