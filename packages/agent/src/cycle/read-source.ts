// The import step: a paged full import (after taking a fresh DirSync cursor) or a DirSync delta since
// the stored cursor. Either way the result is a stream of whole objects plus objects that are gone.
import type { Scope } from '@cloudsync/protocol';
import type { AdObject } from '../ad/attributes.js';
import type { AdConnection } from '../ad/connection.js';
import { type DeltaState, readDelta, startDelta } from '../ad/delta.js';
import { fullImport } from '../ad/full-import.js';

/** One thing the import found. */
export type SourceItem =
  | { kind: 'object'; object: AdObject }
  | { kind: 'gone'; objectGuid: string; dn?: string; reason: 'deleted' | 'left-scope' };

export interface SourceRead {
  items: AsyncIterable<SourceItem>;
  /** The cursor to store if the cloud accepts the cycle (read it after `items` is drained). */
  nextState(): DeltaState | undefined;
}

export interface ReadOptions {
  domainRoot: string;
  scope: Scope;
  /** Least time between two objectGUID reconciliations of the delta (see docs/ad-source.md). */
  reconcileMinIntervalMs?: number;
  now?: () => Date;
}

/** The subtrees to read: the scope's OUs, else the domain root. */
export function basesOf(scope: Scope, domainRoot: string): string[] {
  return scope.kind === 'ous' ? [...scope.ous] : [domainRoot];
}

/** Full import: the DirSync cursor is taken first, so the next delta replays changes made meanwhile. */
export async function readFull(ad: AdConnection, options: ReadOptions): Promise<SourceRead> {
  const bases = basesOf(options.scope, options.domainRoot);
  const state = await startDelta(ad, { domainRoot: options.domainRoot, bases, now: options.now });
  async function* items(): AsyncGenerator<SourceItem> {
    for await (const object of fullImport(ad, { bases })) yield { kind: 'object', object };
  }
  return { items: items(), nextState: () => state };
}

/** Delta: DirSync since `state`, changed objects re-read whole, deletions by reconciliation. */
export async function readChanges(
  ad: AdConnection,
  state: DeltaState,
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
  async function* items(): AsyncGenerator<SourceItem> {
    for (const c of result.changes) {
      if (c.type === 'upsert') yield { kind: 'object', object: c.object };
      else yield { kind: 'gone', objectGuid: c.guid, reason: c.reason, ...(c.dn ? { dn: c.dn } : {}) };
    }
  }
  return { items: items(), nextState: () => result.state };
}
