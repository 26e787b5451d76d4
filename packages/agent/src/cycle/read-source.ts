// The import step: a paged full import (after taking a fresh DirSync cursor) or a DirSync delta since
// the stored cursor. Either way the result is a stream of whole objects plus objects that are gone.
// A `groups` scope is resolved again every cycle (nested groups included, see ad/group-closure.ts);
// objects that joined or left it since the last cycle are read too, since DirSync reports a
// membership change on the group, not on its members.
import type { Scope } from '@cloudsync/protocol';
import type { Logger } from 'pino';
import type { AdObject } from '../ad/attributes.js';
import type { AdConnection } from '../ad/connection.js';
import { type AdChange, type DeltaState, readDelta, reread, startDeltaCursor } from '../ad/delta.js';
import { fullImport } from '../ad/full-import.js';
import { type GroupScopeMembers, resolveGroupScope, scopeMovement } from '../ad/group-closure.js';
import { decodeGuidSet, encodeGuidSet, type GuidSet } from '../ad/guid-set.js';

/** One thing the import found. */
export type SourceItem =
  | {
      kind: 'object';
      object: AdObject;
      /** The selected groups the object is in, directly or nested (`groups` scopes only). */
      inGroups?: readonly string[];
    }
  | { kind: 'gone'; objectGuid: string; dn?: string; reason: 'deleted' | 'left-scope' };

/** The delta cursor, plus for a `groups` scope the objectGUIDs that were in it (`encodeGuidSet`). */
export type SourceCursor = DeltaState & { groupScope?: string };

export interface SourceRead {
  items: AsyncIterable<SourceItem>;
  /** The cursor to store if the cloud accepts the cycle (read it after `items` is drained). */
  nextState(): SourceCursor | undefined;
}

export interface ReadOptions {
  domainRoot: string;
  scope: Scope;
  /** Least time between two objectGUID reconciliations of the delta (see docs/ad-source.md). */
  reconcileMinIntervalMs?: number;
  now?: () => Date;
  /** Told about selected groups that are not in AD. */
  log?: Logger;
  /** Delta only: objectGUIDs of objects that failed last cycle, read again so they are retried. */
  retry?: readonly Buffer[];
}

/** The subtrees to read: the scope's OUs, else the domain root. */
export function basesOf(scope: Scope, domainRoot: string): string[] {
  return scope.kind === 'ous' ? [...scope.ous] : [domainRoot];
}

/** Who is in a `groups` scope now; undefined for other scopes. */
async function groupMembers(ad: AdConnection, options: ReadOptions): Promise<GroupScopeMembers | undefined> {
  if (options.scope.kind !== 'groups') return undefined;
  const members = await resolveGroupScope(ad, options.domainRoot, options.scope.groups);
  for (const group of members.missing) {
    options.log?.warn(
      { group },
      'a selected group of the scope is not in AD (deleted, renamed or moved): it counts as empty; ' +
        'update the configuration’s scope if it was renamed or moved',
    );
  }
  return members;
}

/** The selected groups `object` is in, nested ones included (`groups` scopes; one object, on demand). */
export async function selectedGroupsOf(
  ad: AdConnection,
  options: ReadOptions,
  object: AdObject,
): Promise<readonly string[] | undefined> {
  const members = await groupMembers(ad, options);
  return members?.byGuid.get(object.objectGuid.toString('hex'));
}

function objectItem(object: AdObject, members: GroupScopeMembers | undefined): SourceItem {
  const inGroups = members?.byGuid.get(object.objectGuid.toString('hex'));
  return { kind: 'object', object, ...(inGroups ? { inGroups } : {}) };
}

function withGroupScope(state: DeltaState, members: GroupScopeMembers | undefined): SourceCursor {
  return members ? { ...state, groupScope: encodeGuidSet(new Set(members.byGuid.keys())) } : state;
}

/**
 * Full import: the DirSync cursor is taken first, so the next delta replays changes made meanwhile;
 * the objectGUIDs in scope (the cursor's `known`) are those the import read.
 */
export async function readFull(ad: AdConnection, options: ReadOptions): Promise<SourceRead> {
  const bases = basesOf(options.scope, options.domainRoot);
  const cursor = await startDeltaCursor(ad, { domainRoot: options.domainRoot, now: options.now });
  const members = await groupMembers(ad, options);
  const read: GuidSet = new Set();
  async function* items(): AsyncGenerator<SourceItem> {
    for await (const object of fullImport(ad, { bases })) {
      read.add(object.objectGuid.toString('hex'));
      yield objectItem(object, members);
    }
  }
  return {
    items: items(),
    nextState: () => withGroupScope({ ...cursor, known: encodeGuidSet(read) }, members),
  };
}

const guidHexOf = (c: AdChange) => (c.type === 'upsert' ? c.object.objectGuid : c.objectGuid).toString('hex');

/**
 * The objects that joined or left a `groups` scope since `before` and that DirSync did not report
 * (a member added to a nested group changes the group, not the member). Read whole, they are
 * planned like any other: in scope → added or restored, out → "left scope". One no longer in AD is
 * left to the delta's deletion detection.
 */
async function movedInOrOut(
  ad: AdConnection,
  options: ReadOptions,
  before: string | undefined,
  members: GroupScopeMembers,
  changes: readonly AdChange[],
): Promise<AdObject[]> {
  // No set stored yet (an agent from before group scopes were resolved): everyone in it is read.
  const moved = scopeMovement(
    decodeGuidSet(before ?? ''),
    members.byGuid.keys(),
    new Set(changes.map(guidHexOf)),
  );
  const found = await reread(
    ad,
    options.domainRoot,
    moved.map((hex) => Buffer.from(hex, 'hex')),
  );
  return [...found.values()];
}

/**
 * The objects of `options.retry` this delta did not read already, read whole so they are planned
 * again. One no longer in AD or outside the scope's subtrees is left to the delta's own detection.
 */
async function retryObjects(
  ad: AdConnection,
  options: ReadOptions,
  changes: readonly AdChange[],
  moved: readonly AdObject[],
): Promise<AdObject[]> {
  const seen = new Set([...changes.map(guidHexOf), ...moved.map((o) => o.objectGuid.toString('hex'))]);
  const wanted = (options.retry ?? []).filter((g) => !seen.has(g.toString('hex')));
  if (wanted.length === 0) return [];
  const bases = basesOf(options.scope, options.domainRoot).map((b) => b.toLowerCase());
  const found = await reread(ad, options.domainRoot, wanted);
  return [...found.values()].filter((o) => {
    const dn = o.dn.toLowerCase();
    return bases.some((b) => dn === b || dn.endsWith(`,${b}`));
  });
}

/** Delta: DirSync since `state`, changed objects re-read whole, deletions by reconciliation. */
export async function readChanges(
  ad: AdConnection,
  state: SourceCursor,
  options: ReadOptions,
): Promise<SourceRead> {
  const bases = basesOf(options.scope, options.domainRoot);
  const result = await readDelta(ad, state, {
    domainRoot: options.domainRoot,
    bases,
    deletions: 'auto',
    ...(options.reconcileMinIntervalMs === undefined
      ? {}
      : { reconcileMinIntervalMs: options.reconcileMinIntervalMs }),
    ...(options.now ? { now: options.now } : {}),
  });
  // Resolved after DirSync answered, so it is at least as new as the changes read.
  const members = await groupMembers(ad, options);
  const moved = members ? await movedInOrOut(ad, options, state.groupScope, members, result.changes) : [];
  const retried = await retryObjects(ad, options, result.changes, moved);
  async function* items(): AsyncGenerator<SourceItem> {
    for (const c of result.changes) {
      if (c.type === 'upsert') yield objectItem(c.object, members);
      else yield { kind: 'gone', objectGuid: c.guid, reason: c.reason, ...(c.dn ? { dn: c.dn } : {}) };
    }
    for (const object of [...moved, ...retried]) yield objectItem(object, members);
  }
  return { items: items(), nextState: () => withGroupScope(result.state, members) };
}
