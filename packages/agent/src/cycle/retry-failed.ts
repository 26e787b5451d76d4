// Objects that failed in a cycle — the agent could not map them, or the cloud could not write them —
// are read again and sent again in the next delta cycle, even when AD reports no change for them.
import type { Change, ChangeResult } from '@cloudsync/protocol';
import { guidFromString } from '../ad/attributes.js';
import type { LocalStore } from '../state/local-store.js';

/** At most this many objects are retried a cycle; the rest wait for a change or a full cycle. */
const MAX_RETRIED = 5_000;
const keyOf = (configurationId: string) => `retry:${configurationId}`;

/** The objectGUIDs to read again in the configuration's next delta cycle (stored by `saveRetry`). */
export function retryGuids(store: Pick<LocalStore, 'getValue'>, configurationId: string): Buffer[] {
  const stored = store.getValue(keyOf(configurationId));
  if (!stored) return [];
  try {
    const guids: unknown = JSON.parse(stored);
    if (!Array.isArray(guids)) return [];
    return guids.filter((g): g is string => typeof g === 'string').map(guidFromString);
  } catch {
    return [];
  }
}

/** Stores the objects the next delta cycle retries (once the cloud accepted this cycle). */
export function saveRetry(
  store: Pick<LocalStore, 'setValue'>,
  configurationId: string,
  guids: readonly string[],
): void {
  store.setValue(keyOf(configurationId), guids.length ? JSON.stringify(guids) : undefined);
}

/**
 * Follows the changes of a cycle and the cloud's answers to them.
 * @example
 *   const failures = createFailureTracker();
 *   emit = (change) => { failures.sent(change); return pages.add(change); };
 *   saveRetry(store, configurationId, failures.failed(pages.problems));
 */
export function createFailureTracker() {
  const guidOf = new Map<string, string>();
  return {
    /** Records an object the cycle sent (upserts and skipped objects; deletions are not retried). */
    sent(change: Change): void {
      if (change.op === 'upsert' || change.op === 'skipped') guidOf.set(change.anchor, change.objectGuid);
    },
    /** The objectGUIDs of the objects whose result was an error. */
    failed(results: readonly ChangeResult[]): string[] {
      const out = new Set<string>();
      for (const r of results) {
        const guid = r.result === 'error' ? guidOf.get(r.anchor) : undefined;
        if (guid && out.size < MAX_RETRIED) out.add(guid);
      }
      return [...out];
    },
  };
}
