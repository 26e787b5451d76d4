// A delta cycle: DirSync since the stored cookie → re-read each changed object whole → find
// deletions. A least-privileged account does not see tombstones through DirSync on Samba, so by
// default deletions are found by reconciling the set of objectGUIDs in scope against the previous
// set, and only when highestCommittedUSN moved (any deletion moves it): at once when the delta shows
// nothing else that explains the move (a "quiet" delta, at most every 30 s), otherwise at most every
// 5 minutes. See docs/ad-source.md.
import { AndFilter, EqualityFilter, FilterParser, OrFilter } from 'ldapts';
import {
  type AdObject,
  BUFFER_ATTRIBUTE_NAMES,
  guidToString,
  SYNC_ATTRIBUTES,
  SYNC_FILTER,
} from './attributes.js';
import type { AdConnection } from './connection.js';
import { ShowDeletedControl } from './controls.js';
import { dirSyncCurrentCookie, dirSyncPages } from './dirsync.js';
import { highestCommittedUsn } from './discovery.js';
import { decodeGuidSet, encodeGuidSet, type GuidSet, scanGuids } from './guid-set.js';
import { toAdObject } from './objects.js';

/** What a delta remembers between cycles; store it as JSON after the changes were handled. */
export interface DeltaState {
  /** DirSync cookie, base64. */
  cookie: string;
  /** highestCommittedUSN at the last reconciliation of `known`. */
  reconciledUsn: string;
  /** objectGUIDs in scope after the last cycle (`encodeGuidSet`). */
  known: string;
  /** When `known` was last reconciled (ISO 8601). */
  reconciledAt?: string;
}

/**
 * How deletions are found. `reconcile`: compare the objectGUIDs in scope with the previous set
 * (works with read rights only). `tombstones`: trust DirSync to return deleted objects (needs an
 * account that can read `CN=Deleted Objects`). `auto` picks `tombstones` only when the account can.
 */
export type DeletionStrategy = 'reconcile' | 'tombstones';

/** Where to look. */
export interface DeltaOptions {
  /** The domain root (DirSync's base). */
  domainRoot: string;
  /** Subtrees in scope (default: the whole domain). Objects moved out of them count as deleted. */
  bases?: readonly string[];
  deletions?: DeletionStrategy | 'auto';
  /**
   * Least time between two reconciliations (default 5 minutes). A scan costs about 60 % of a full
   * import (see docs/ad-source.md), so in a busy domain deletions are found at most this late.
   */
  reconcileMinIntervalMs?: number;
  /**
   * Least time between two reconciliations when the delta is quiet (default 30 s, never more than
   * `reconcileMinIntervalMs`): the USN moved but DirSync showed nothing in scope beyond group
   * membership, which is all a least-privileged reader sees of a delete or a move out of sight.
   */
  quietReconcileMinIntervalMs?: number;
  rangeSize?: number;
  /** The clock, for tests. */
  now?: () => Date;
}

/** One change, ready for mapping. */
export type AdChange =
  | { type: 'upsert'; object: AdObject; changedAttributes: string[] }
  | { type: 'delete'; guid: string; objectGuid: Buffer; dn?: string; reason: 'deleted' | 'left-scope' };

/** Result of a delta cycle. */
export interface DeltaResult {
  changes: AdChange[];
  state: DeltaState;
  stats: {
    dirSyncEntries: number;
    strategy: DeletionStrategy;
    /** True when the objectGUIDs in scope were scanned this cycle. */
    reconciled: boolean;
    scanned?: number;
    /** True when DirSync showed no change but membership while the USN moved (see `quietReconcileMinIntervalMs`). */
    quiet: boolean;
    /** True when a reconciliation was due by USN but waits for its minimum interval. */
    reconcileDeferred: boolean;
    /** When the deferred reconciliation may run (ISO 8601); set only with `reconcileDeferred`. */
    reconcileDueAt?: string;
  };
}

/** Default of {@link DeltaOptions.reconcileMinIntervalMs}. */
export const RECONCILE_MIN_INTERVAL_MS = 300_000;
/** Default of {@link DeltaOptions.quietReconcileMinIntervalMs}. */
export const QUIET_RECONCILE_MIN_INTERVAL_MS = 30_000;

/** The least time between reconciliations after a quiet delta, for `options`. */
export function quietReconcileInterval(
  options: Pick<DeltaOptions, 'reconcileMinIntervalMs' | 'quietReconcileMinIntervalMs'>,
): number {
  return Math.min(
    options.quietReconcileMinIntervalMs ?? QUIET_RECONCILE_MIN_INTERVAL_MS,
    options.reconcileMinIntervalMs ?? RECONCILE_MIN_INTERVAL_MS,
  );
}

/**
 * When a quiet delta from `state` may reconcile: the last reconciliation plus the quiet interval
 * (undefined when the state never reconciled, i.e. at once). A service that saw a change
 * notification runs a delta again at this time, so a deletion found quiet but deferred still comes
 * within seconds rather than at the next scheduled cycle.
 */
export function quietReconcileDueAt(
  state: Pick<DeltaState, 'reconciledAt'>,
  options: Pick<DeltaOptions, 'reconcileMinIntervalMs' | 'quietReconcileMinIntervalMs'>,
): Date | undefined {
  if (!state.reconciledAt) return undefined;
  return new Date(Date.parse(state.reconciledAt) + quietReconcileInterval(options));
}

/**
 * True when `changes` explain nothing but membership: none, or only objects whose `member` changed
 * (or that came back with no attribute set, as a group whose last member left does). A
 * least-privileged reader sees nothing of a delete; AD also drops the deleted object from its
 * groups' `member`, which may then be all there is to see (Samba's DirSync did not show even that).
 */
function isQuiet(changes: readonly AdChange[]): boolean {
  return changes.every(
    (c) => c.type === 'upsert' && c.changedAttributes.every((a) => a === 'member' || a.startsWith('member;')),
  );
}

/** DirSync filter: every class the agent syncs, by objectClass (kept on tombstones, unlike objectCategory). */
const DIRSYNC_FILTER = '(|(objectClass=user)(objectClass=group)(objectClass=contact))';
const REREAD_BATCH = 100;

/** ldapts lists requested attributes the DC did not return as `[]`. */
function isEmpty(value: unknown): boolean {
  return Array.isArray(value) && value.length === 0;
}

function inScope(dn: string, bases: readonly string[]): boolean {
  const d = dn.toLowerCase();
  return bases.some((b) => {
    const base = b.toLowerCase();
    return d === base || d.endsWith(`,${base}`);
  });
}

/**
 * `tombstones` when the account sees deleted objects (a show-deleted search under
 * `CN=Deleted Objects` returns one), otherwise `reconcile`. Seeing the container is not enough: on
 * Samba a least-privileged account reads the container but none of the tombstones in it. With no
 * tombstone in the domain yet the answer is `reconcile`, the safe choice.
 */
export async function detectDeletionStrategy(
  ad: AdConnection,
  domainRoot: string,
): Promise<DeletionStrategy> {
  try {
    const found = await ad.search(
      `CN=Deleted Objects,${domainRoot}`,
      { scope: 'one', filter: '(isDeleted=TRUE)', attributes: ['objectGUID'], sizeLimit: 1 },
      [new ShowDeletedControl()],
    );
    return found.length > 0 ? 'tombstones' : 'reconcile';
  } catch {
    return 'reconcile';
  }
}

/**
 * The state to start deltas from: a DirSync cookie for "now" and the objectGUIDs in scope. Take it
 * before the full import (changes during the import are replayed by the first delta).
 */
export async function startDelta(ad: AdConnection, options: DeltaOptions): Promise<DeltaState> {
  const cursor = await startDeltaCursor(ad, options);
  const known = await scanGuids(ad, options.bases ?? [options.domainRoot]);
  return { ...cursor, known: encodeGuidSet(known) };
}

/**
 * {@link startDelta} without the objectGUID scan: for a full import, which reads every object in
 * scope anyway and supplies `known` from what it read (a scan costs about 60 % of the import).
 */
export async function startDeltaCursor(
  ad: AdConnection,
  options: Pick<DeltaOptions, 'domainRoot' | 'now'>,
): Promise<Omit<DeltaState, 'known'>> {
  const usn = await highestCommittedUsn(ad);
  const cookie = await dirSyncCurrentCookie(ad, options.domainRoot);
  return {
    cookie: cookie.toString('base64'),
    reconciledUsn: usn,
    reconciledAt: (options.now?.() ?? new Date()).toISOString(),
  };
}

/** Re-reads objects by objectGUID (whole, with ranged members), keyed by hex GUID. */
export async function reread(ad: AdConnection, domainRoot: string, guids: Buffer[], rangeSize?: number) {
  const out = new Map<string, AdObject>();
  for (let i = 0; i < guids.length; i += REREAD_BATCH) {
    const batch = guids.slice(i, i + REREAD_BATCH);
    // Built as filter objects: ldapts's string parser turns `\xx` escapes above 0x7f into UTF-8.
    const filter = new AndFilter({
      filters: [
        FilterParser.parseString(SYNC_FILTER),
        new OrFilter({
          filters: batch.map((g) => new EqualityFilter({ attribute: 'objectGUID', value: g })),
        }),
      ],
    });
    const entries = await ad.search(domainRoot, {
      scope: 'sub',
      filter,
      attributes: [...SYNC_ATTRIBUTES],
      explicitBufferAttributes: BUFFER_ATTRIBUTE_NAMES,
      timeLimit: 0,
    });
    for (const entry of entries) {
      const obj = await toAdObject(ad, entry, { rangeSize });
      if (obj) out.set(obj.objectGuid.toString('hex'), obj);
    }
  }
  return out;
}

/** Changed entries of all DirSync pages since `cookie`: GUID → changed attribute names and DN. */
async function collectDirSync(ad: AdConnection, cookie: Buffer, domainRoot: string) {
  const changed = new Map<string, { guid: Buffer; dn: string; attributes: string[]; deleted: boolean }>();
  let next = cookie;
  for await (const page of dirSyncPages(ad, cookie, { domainRoot, filter: DIRSYNC_FILTER })) {
    for (const entry of page.entries) {
      const guid = entry.objectGUID;
      if (!Buffer.isBuffer(guid)) continue;
      const attributes = Object.entries(entry)
        .filter(([k, v]) => k !== 'dn' && k !== 'objectGUID' && k !== 'instanceType' && !isEmpty(v))
        .map(([k]) => k);
      const deleted = String(entry.isDeleted).toUpperCase() === 'TRUE';
      const key = guid.toString('hex');
      const prev = changed.get(key);
      changed.set(key, {
        guid,
        dn: entry.dn,
        attributes: [...new Set([...(prev?.attributes ?? []), ...attributes])],
        deleted,
      });
    }
    next = page.cookie;
  }
  return { changed, cookie: next };
}

/**
 * Runs one delta cycle from `state`.
 *
 * @example
 * let state = await startDelta(ad, { domainRoot });
 * // ... full import ...
 * const { changes, state: next } = await readDelta(ad, state, { domainRoot });
 * await ship(changes); state = next; // persist only after the changes were handled
 */
export async function readDelta(
  ad: AdConnection,
  state: DeltaState,
  options: DeltaOptions,
): Promise<DeltaResult> {
  const bases = options.bases ?? [options.domainRoot];
  const strategy =
    options.deletions === undefined || options.deletions === 'auto'
      ? await detectDeletionStrategy(ad, options.domainRoot)
      : options.deletions;
  const usn = await highestCommittedUsn(ad);
  const known: GuidSet = decodeGuidSet(state.known);
  const { changed, cookie } = await collectDirSync(
    ad,
    Buffer.from(state.cookie, 'base64'),
    options.domainRoot,
  );
  // DirSync gives each object's current DN: only objects now in scope need re-reading; one that was
  // known and now sits elsewhere has left (moved out, or deleted into CN=Deleted Objects).
  const live = [...changed.values()].filter((c) => !c.deleted && inScope(c.dn, bases)).map((c) => c.guid);
  const current = await reread(ad, options.domainRoot, live, options.rangeSize);

  const changes: AdChange[] = [];
  const deleted = new Set<string>();
  const addDelete = (hex: string, reason: 'deleted' | 'left-scope', dn?: string) => {
    if (deleted.has(hex) || !known.has(hex)) return;
    deleted.add(hex);
    const objectGuid = Buffer.from(hex, 'hex');
    changes.push({ type: 'delete', guid: guidToString(objectGuid), objectGuid, dn, reason });
  };
  for (const [hex, c] of changed) {
    const obj = current.get(hex);
    if (obj && inScope(obj.dn, bases)) {
      changes.push({ type: 'upsert', object: obj, changedAttributes: c.attributes });
      known.add(hex);
    } else if (c.deleted || !obj) {
      // Not found when re-read: deleted since DirSync answered, or no longer a synced kind.
      addDelete(hex, c.deleted || inScope(c.dn, bases) ? 'deleted' : 'left-scope', obj?.dn ?? c.dn);
    } else {
      addDelete(hex, 'left-scope', obj.dn);
    }
  }

  const plan = reconcilePlan(state, usn, strategy, isQuiet(changes), options);
  let scanned: number | undefined;
  let nextKnown = known;
  if (plan.run) {
    const inScopeNow = await scanGuids(ad, bases);
    scanned = inScopeNow.size;
    for (const hex of known) if (!inScopeNow.has(hex)) addDelete(hex, 'deleted');
    nextKnown = inScopeNow;
  }
  for (const hex of deleted) nextKnown.delete(hex);
  return {
    changes,
    state: {
      cookie: cookie.toString('base64'),
      reconciledUsn: plan.run ? usn : state.reconciledUsn,
      known: encodeGuidSet(nextKnown),
      reconciledAt: plan.run ? plan.now.toISOString() : state.reconciledAt,
    },
    stats: {
      dirSyncEntries: changed.size,
      strategy,
      reconciled: plan.run,
      scanned,
      quiet: plan.quiet,
      reconcileDeferred: plan.dueAt !== undefined,
      ...(plan.dueAt ? { reconcileDueAt: plan.dueAt.toISOString() } : {}),
    },
  };
}

/**
 * Whether this delta reconciles: only with the `reconcile` strategy and when the USN moved since the
 * last reconciliation; then at once if the last one is older than the interval (the quiet one when
 * DirSync explained nothing), else deferred until `dueAt`.
 */
function reconcilePlan(
  state: DeltaState,
  usn: string,
  strategy: DeletionStrategy,
  nothingVisible: boolean,
  options: DeltaOptions,
): { run: boolean; quiet: boolean; now: Date; dueAt?: Date } {
  const now = options.now?.() ?? new Date();
  const moved = BigInt(usn) > BigInt(state.reconciledUsn);
  const quiet = moved && nothingVisible;
  if (strategy !== 'reconcile' || !moved) return { run: false, quiet, now };
  const wait = quiet
    ? quietReconcileInterval(options)
    : (options.reconcileMinIntervalMs ?? RECONCILE_MIN_INTERVAL_MS);
  const last = state.reconciledAt ? Date.parse(state.reconciledAt) : Number.NEGATIVE_INFINITY;
  if (now.getTime() - last >= wait) return { run: true, quiet, now };
  return { run: false, quiet, now, dueAt: new Date(last + wait) };
}
