import type { Members } from '@cloudsync/protocol';

/**
 * The membership change of a group between two full reads, as the change set carries it: `null` when
 * nothing changed, the complete list when there was no previous read, else what was added and removed.
 * @example
 *   diffMembers(['a', 'b'], ['b', 'c']) // { mode: 'incremental', add: ['c'], remove: ['a'] }
 */
export function diffMembers(
  previous: readonly string[] | undefined,
  current: readonly string[],
): Members | null {
  const now = [...new Set(current)].sort();
  if (previous === undefined) return { mode: 'complete', anchors: now };
  const before = new Set(previous);
  const after = new Set(now);
  const add = now.filter((a) => !before.has(a));
  const remove = [...before].filter((a) => !after.has(a)).sort();
  return add.length || remove.length ? { mode: 'incremental', add, remove } : null;
}

/** Applies a membership change to a set of member anchors (what the cloud does with it). */
export function applyMembers(current: ReadonlySet<string>, change: Members): Set<string> {
  if (change.mode === 'complete') return new Set(change.anchors);
  const next = new Set(current);
  for (const a of change.remove) next.delete(a);
  for (const a of change.add) next.add(a);
  return next;
}
