import {
  type Change,
  type ChangeResult,
  type ChangeSetPage,
  type PageAcknowledgement,
  ProtocolError,
} from '@cloudsync/protocol';
import type { Kysely } from 'kysely';
import type { Directory } from '../directory/index.js';
import { withSavepoint } from '../store/savepoint.js';
import type { Database } from '../store/schema.js';
import {
  type ApplyContext,
  type Counts,
  type Outcome,
  safeMessage,
  tally,
  withinTransaction,
} from './apply-context.js';
import { applyContactUpsert, applyGroupUpsert } from './apply-group-contact.js';
import { applySkipped } from './apply-skipped.js';
import { applyUserUpsert } from './apply-user.js';
import { writeLog } from './provisioning-log.js';

/** An upsert is applied now; a deletion is staged for the cycle's end (the accidental-delete guard). */
async function applyChange(ctx: ApplyContext, change: Change): Promise<Outcome> {
  if (change.op === 'upsert') {
    const upsert = {
      anchor: change.anchor,
      distinguishedName: change.distinguishedName,
      attributes: change.attributes,
      ...(change.creationOnlyAttributes ? { creationOnlyAttributes: change.creationOnlyAttributes } : {}),
      ...(change.members ? { members: change.members } : {}),
    };
    if (change.objectType === 'user') return applyUserUpsert(ctx, upsert);
    if (change.objectType === 'group') return applyGroupUpsert(ctx, upsert);
    return applyContactUpsert(ctx, upsert);
  }
  if (change.op === 'skipped') return applySkipped(ctx, change);
  await ctx.db
    .insertInto('sync_pending_deletes')
    .values({
      cycle_id: ctx.cycleId,
      configuration_id: ctx.configurationId,
      anchor: change.anchor,
      object_type: change.objectType,
      op: change.op,
      distinguished_name: change.distinguishedName ?? null,
    })
    .onConflict((oc) => oc.columns(['cycle_id', 'anchor']).doNothing())
    .execute();
  return {
    result: 'applied',
    action: 'StagedDelete',
    modified: [],
    steps: [
      {
        name: 'action',
        status: 'success',
        detail: 'Staged; applied when the cycle ends, within the accidental-delete threshold.',
      },
    ],
  };
}

/** The match step's detail, for the page answer (provision on demand shows it). */
function matchOf(outcome: Outcome): { match?: string } {
  const detail = outcome.steps.find((s) => s.name === 'match')?.detail;
  return detail ? { match: detail.slice(0, 1000) } : {};
}

/** One change in its own savepoint: a change that fails leaves nothing behind but its log entry. */
async function applyOne(ctx: ApplyContext, change: Change): Promise<Outcome> {
  try {
    return await withSavepoint(ctx.db, 'change', () => applyChange(ctx, change));
  } catch (err) {
    const code = err instanceof ProtocolError ? 'VALIDATION_FAILED' : 'INTERNAL';
    return {
      result: 'error',
      action: 'Other',
      code,
      reason: `The ${change.objectType} could not be written: ${safeMessage(err)}`,
      modified: [],
      steps: [{ name: 'action', status: 'failure', detail: safeMessage(err) }],
    };
  }
}

/**
 * Applies one page of changes as **one transaction**: every change (each in a savepoint), its
 * provisioning-log entry, the stored answer and the cycle's progress commit together or not at all,
 * so a page that fails half-way leaves nothing applied and the agent's retry applies it whole. The
 * cycle's `committed_through` is claimed first (from `sequence - 1`): a concurrent copy of the same
 * page waits for it (a row lock on PostgreSQL, the one connection on SQLite) and is then answered
 * from the stored answer, as a duplicate.
 * @example
 *   const ack = await applyPage(deps.db, deps.directory, ctx, page, JSON.parse(cycle.counts));
 */
export async function applyPage(
  root: Kysely<Database>,
  directory: Pick<Directory, 'within'>,
  base: ApplyContext,
  page: ChangeSetPage,
  counts: Counts,
): Promise<PageAcknowledgement> {
  return root.transaction().execute(async (trx) => {
    const ctx = withinTransaction(base, trx, directory);
    const claimed = await ctx.db
      .updateTable('sync_cycles')
      .set({ committed_through: page.sequence })
      .where('id', '=', ctx.cycleId)
      .where('committed_through', '=', page.sequence - 1)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) {
      const stored = await ctx.db
        .selectFrom('sync_cycle_pages')
        .select('answer')
        .where('cycle_id', '=', ctx.cycleId)
        .where('sequence', '=', page.sequence)
        .executeTakeFirst();
      if (!stored) throw new ProtocolError('SEQUENCE_OUT_OF_ORDER');
      // Written below by this function from a PageAcknowledgement.
      return { ...(JSON.parse(stored.answer) as PageAcknowledgement), duplicate: true };
    }
    const results: ChangeResult[] = [];
    for (const [index, change] of page.changes.entries()) {
      const outcome = await applyOne(ctx, change);
      if (outcome.action !== 'StagedDelete') {
        // A staged deletion is counted (and logged) when the cycle's end applies it.
        tally(counts, outcome.result);
        if (outcome.result === 'error' && 'retried' in change && change.retried)
          counts.retriedErrors = (counts.retriedErrors ?? 0) + 1;
        await writeLog(
          ctx.db,
          ctx.now,
          {
            configurationId: ctx.configurationId,
            cycleId: ctx.cycleId,
            objectType: change.objectType,
            anchor: change.anchor,
            distinguishedName: change.distinguishedName ?? null,
          },
          outcome,
        );
      }
      results.push({
        index,
        anchor: change.anchor,
        result: outcome.result,
        ...(outcome.code ? { code: outcome.code } : {}),
        ...(outcome.reason ? { reason: outcome.reason.slice(0, 1000) } : {}),
        ...(outcome.cloudId ? { cloudId: outcome.cloudId } : {}),
        action: outcome.action,
        ...matchOf(outcome),
      });
    }
    const answer: PageAcknowledgement = {
      cycleId: ctx.cycleId,
      sequence: page.sequence,
      duplicate: false,
      committedThroughSequence: page.sequence,
      results,
      cycleState: 'open',
    };
    await ctx.db
      .insertInto('sync_cycle_pages')
      .values({
        cycle_id: ctx.cycleId,
        sequence: page.sequence,
        answer: JSON.stringify(answer),
        received_at: ctx.now,
      })
      .execute();
    await ctx.db
      .updateTable('sync_cycles')
      .set({ counts: JSON.stringify(counts) })
      .where('id', '=', ctx.cycleId)
      .execute();
    return answer;
  });
}
