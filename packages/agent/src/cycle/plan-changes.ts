// The scope → map → diff steps for every object the import found, done by the sync engine's planner;
// this file adds what needs the agent's state: the previous export, member anchors, and deletions of
// objects known only by objectGUID.
import {
  type Change,
  deleteChangeSchema,
  outOfScopeChangeSchema,
  skippedChangeSchema,
} from '@cloudsync/protocol';
import { anchorOf, type ChangePlanner, type MappingProblem } from '@cloudsync/sync-engine';
import type { Logger } from 'pino';
import { guidToString } from '../ad/attributes.js';
import { dnKeyOf, type ExportRecord, type LocalStore } from '../state/local-store.js';
import type { SourceItem } from './read-source.js';
import { membersOf, toSourceEntry, unresolvedMembers } from './source-entry.js';

/** Counts of a cycle, as the end marker carries them. */
export interface PlanCounts {
  upserts: number;
  deletes: number;
  outOfScope: number;
  unchanged: number;
  errors: number;
}

/** What the cycle commits locally if the cloud accepts it. */
export interface PlanOutcome {
  exported: ExportRecord[];
  forgotten: string[];
  counts: PlanCounts;
}

export interface PlanContext {
  planner: ChangePlanner;
  store: LocalStore;
  configurationId: string;
  fullImport: boolean;
  log: Logger;
  /** Receives each change, in order (the export step). */
  emit: (change: Change) => Promise<void>;
  /** objectGUIDs (hex) of objects that failed last cycle: sent again even when unchanged. */
  retry?: ReadonlySet<string>;
  /**
   * Anchors of objects known only by DN (group members this configuration does not sync), keyed by
   * `dnKeyOf`; without it such members are left out of the group's change silently.
   */
  anchorsOutside?: (dns: readonly string[]) => Promise<ReadonlyMap<string, string>>;
}

/**
 * Plans every item: non-groups first as they arrive, then groups, so that members exported in this
 * cycle resolve to their anchors.
 */
export async function planChanges(ctx: PlanContext, items: AsyncIterable<SourceItem>): Promise<PlanOutcome> {
  const out: PlanOutcome = {
    exported: [],
    forgotten: [],
    counts: { upserts: 0, deletes: 0, outOfScope: 0, unchanged: 0, errors: 0 },
  };
  const cycleAnchors = new Map<string, string>();
  const groups: ObjectItem[] = [];
  for await (const item of items) {
    if (item.kind === 'gone') await planGone(ctx, out, item);
    else if (item.object.kind === 'group') groups.push(item);
    else await planObject(ctx, out, item, cycleAnchors);
  }
  // Groups can be members of groups: record every group's anchor before resolving members.
  for (const { object: g } of groups) {
    try {
      cycleAnchors.set(dnKeyOf(g.dn), anchorOf(toSourceEntry(g).attributes).anchor);
    } catch {
      // planned (and reported) below
    }
  }
  const outside = await anchorsOutside(ctx, groups, cycleAnchors);
  for (const g of groups) await planObject(ctx, out, g, cycleAnchors, outside);
  return out;
}

/** Resolves a member DN to the anchor of an object synced by this configuration (this cycle or before). */
function syncedAnchor(ctx: PlanContext, cycleAnchors: Map<string, string>) {
  return (dn: string) =>
    cycleAnchors.get(dnKeyOf(dn)) ??
    (ctx.fullImport ? undefined : ctx.store.anchorOfDn(ctx.configurationId, dn));
}

/** The anchors of the groups' members that are not synced, read from AD once for all groups. */
async function anchorsOutside(
  ctx: PlanContext,
  groups: readonly ObjectItem[],
  cycleAnchors: Map<string, string>,
): Promise<ReadonlyMap<string, string>> {
  if (!ctx.anchorsOutside) return new Map();
  const resolve = syncedAnchor(ctx, cycleAnchors);
  const dns = new Map<string, string>();
  for (const { object } of groups)
    for (const dn of unresolvedMembers(object, resolve)) dns.set(dnKeyOf(dn), dn);
  if (!dns.size) return new Map();
  let found: ReadonlyMap<string, string>;
  try {
    found = await ctx.anchorsOutside([...dns.values()]);
  } catch (err) {
    // Only the cloud's count of left-out members depends on it: the groups still sync.
    ctx.log.warn({ members: dns.size, err: String(err) }, 'group members not synced could not be looked up');
    return new Map();
  }
  ctx.log.debug(
    { members: dns.size, found: found.size },
    'group members not synced: sent for the cloud to log',
  );
  return found;
}

type ObjectItem = Extract<SourceItem, { kind: 'object' }>;

async function planObject(
  ctx: PlanContext,
  out: PlanOutcome,
  { object: obj, inGroups }: ObjectItem,
  cycleAnchors: Map<string, string>,
  outside: ReadonlyMap<string, string> = new Map(),
): Promise<void> {
  const members = membersOf(obj, syncedAnchor(ctx, cycleAnchors), (dn) => outside.get(dnKeyOf(dn)));
  const entry = toSourceEntry(obj, members, inGroups);
  let anchor: string;
  try {
    anchor = anchorOf(entry.attributes).anchor;
  } catch (err) {
    out.counts.errors += 1;
    ctx.log.warn({ dn: obj.dn, err: String(err) }, 'object skipped: no usable anchor');
    return;
  }
  const previous = ctx.store.previousExport(ctx.configurationId, anchor);
  const again = ctx.retry?.has(obj.objectGuid.toString('hex')) ?? false;
  const planned = ctx.planner.plan(entry, previous, { fullImport: ctx.fullImport || again });
  switch (planned.action) {
    case 'upsert': {
      const change = planned.change;
      if (change.op !== 'upsert') return;
      if (planned.problems.length > 0) {
        // The cloud keeps the object, so groups keep it as a member.
        cycleAnchors.set(dnKeyOf(obj.dn), anchor);
        const reason = describeMappingProblems(planned.problems);
        await planSkipped(ctx, out, { change, previous, reason, retried: again });
        return;
      }
      cycleAnchors.set(dnKeyOf(obj.dn), anchor);
      out.exported.push({
        anchor,
        objectGuid: change.objectGuid,
        objectType: change.objectType,
        distinguishedName: obj.dn,
        attributes: change.attributes,
      });
      out.counts.upserts += 1;
      await ctx.emit(again ? { ...change, retried: true } : change);
      return;
    }
    case 'out-of-scope':
      ctx.log.info({ dn: obj.dn, reason: planned.reason }, 'object left the scope');
      out.forgotten.push(anchor);
      out.counts.outOfScope += 1;
      await ctx.emit(planned.change);
      return;
    case 'delete':
      out.forgotten.push(anchor);
      out.counts.deletes += 1;
      await ctx.emit(planned.change);
      return;
    case 'unchanged':
      out.counts.unchanged += 1;
      if (ctx.fullImport && previous) out.exported.push(previous);
      return;
    case 'ignore':
      return;
    case 'error': {
      cycleAnchors.set(dnKeyOf(obj.dn), anchor);
      const objectGuid = guidToString(obj.objectGuid);
      const identity = { objectType: obj.kind, anchor, objectGuid, distinguishedName: obj.dn };
      await planSkipped(ctx, out, { change: identity, previous, reason: planned.message, retried: again });
      return;
    }
  }
}

/** What failed in an object's mappings, for a person: "the mapping of jobTitle failed: …; …". */
export function describeMappingProblems(problems: readonly MappingProblem[]): string {
  return problems.map((p) => `the mapping of ${p.target} failed: ${p.message}`).join('; ');
}

/**
 * An object that cannot be mapped: sent as `skipped` so the cloud logs the failure and, in a full
 * cycle, keeps the object (it was seen). Its last export stays in the local state, so a later deletion
 * in AD is still sent and the next cycle diffs against what the cloud holds.
 */
async function planSkipped(
  ctx: PlanContext,
  out: PlanOutcome,
  skipped: {
    change: Pick<Change, 'objectType' | 'anchor' | 'objectGuid'> & { distinguishedName: string };
    previous: ExportRecord | undefined;
    reason: string;
    /** Read again only because it failed last cycle. */
    retried: boolean;
  },
): Promise<void> {
  const { objectType, anchor, objectGuid, distinguishedName } = skipped.change;
  out.counts.errors += 1;
  if (ctx.fullImport && skipped.previous) out.exported.push(skipped.previous);
  const why = skipped.reason.replaceAll('\u0000', '').slice(0, 1500);
  const reason = `${why}. Fix the value in AD or the mapping; the object is retried every cycle.`;
  ctx.log.warn({ dn: distinguishedName, reason }, 'object skipped: it cannot be mapped');
  const change = skippedChangeSchema.safeParse({
    op: 'skipped',
    objectType,
    anchor,
    objectGuid,
    distinguishedName,
    code: 'OBJECT_NOT_MAPPED',
    reason,
    ...(skipped.retried ? { retried: true } : {}),
  });
  if (change.success) await ctx.emit(change.data);
}

async function planGone(
  ctx: PlanContext,
  out: PlanOutcome,
  item: Extract<SourceItem, { kind: 'gone' }>,
): Promise<void> {
  const previous = ctx.store.exportedByGuid(ctx.configurationId, item.objectGuid);
  if (!previous) return;
  const identity = { objectType: previous.objectType, anchor: previous.anchor, objectGuid: item.objectGuid };
  const change =
    item.reason === 'left-scope' && item.dn
      ? outOfScopeChangeSchema.parse({ op: 'out-of-scope', ...identity, distinguishedName: item.dn })
      : deleteChangeSchema.parse({ op: 'delete', ...identity });
  out.forgotten.push(previous.anchor);
  if (change.op === 'delete') out.counts.deletes += 1;
  else out.counts.outOfScope += 1;
  await ctx.emit(change);
}
