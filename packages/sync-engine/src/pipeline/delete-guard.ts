/** The accidental-delete guard of a configuration (see the protocol's `deleteGuard`). */
export interface DeleteGuard {
  enabled: boolean;
  threshold: number;
}

/**
 * Whether a cycle's deletions may go ahead: above the threshold the cycle is held for an admin.
 * Objects going out of scope count as deletions too, since the cloud soft-deletes them.
 * @example
 *   deleteGuardVerdict(612, { enabled: true, threshold: 500 }) // 'hold'
 */
export function deleteGuardVerdict(deletions: number, guard: DeleteGuard): 'proceed' | 'hold' {
  return guard.enabled && deletions > guard.threshold ? 'hold' : 'proceed';
}
