// Whole-domain replication: every account with its NT hash, in full or since a watermark.
// open session → discover the domain → GetNCChanges pages → typed accounts → watermark.
import { isWantedAccount, type ReplicatedAccount, toAccount } from './account.js';
import { EXOP, MAX_NDR_SIZE, NC_REPLICATION_FLAGS } from './drsuapi/constants.js';
import { ZERO_USN_VECTOR } from './drsuapi/usn.js';
import { DrsrError } from './errors.js';
import {
  type ConnectionOptions,
  checkReply,
  discoverDomain,
  openSession,
  PARTIAL_ATTRIBUTE_SET,
} from './replication-setup.js';
import { cursorsOf, toWatermark, usnVectorOf, type Watermark } from './watermark.js';

// Kept here too: callers import the single-object flows from this module.
export {
  type ObjectOptions,
  type ObjectsOptions,
  replicateObject,
  replicateObjects,
} from './replicate-object.js';
export type { ConnectionOptions, ReplicationCredentials } from './replication-setup.js';

export interface ReplicationOptions extends ConnectionOptions {
  /** The watermark a previous run returned; only changes since then come back. */
  since?: Watermark;
  /** Objects per GetNCChanges page (default 1000). */
  pageSize?: number;
  /** Also return computer accounts (default false). */
  includeComputers?: boolean;
}

/** An in-progress replication: iterate it for accounts, then read `watermark`. */
export interface ReplicationRun extends AsyncIterable<ReplicatedAccount> {
  /** Set once iteration has finished cleanly: save it and pass it as `since` next time. */
  readonly watermark: Watermark | undefined;
  /** True when `since` was given but belongs to another DC (or a restored one): a full run. */
  readonly restartedFromScratch: boolean;
}

/**
 * Replicates the domain naming context and yields every user account with its NT hash.
 * Each `ntHash` buffer belongs to the caller, who must zero it after use.
 * @example
 *   const run = replicateSecrets({ host: 'dc1.corp.example', credentials, since: saved });
 *   for await (const account of run) {
 *     await send(account);
 *     account.ntHash?.fill(0);
 *   }
 *   await store(JSON.stringify(run.watermark));
 */
export function replicateSecrets(opts: ReplicationOptions): ReplicationRun {
  const state: { watermark: Watermark | undefined; restarted: boolean } = {
    watermark: undefined,
    restarted: false,
  };
  async function* run(): AsyncGenerator<ReplicatedAccount> {
    const session = await openSession(opts);
    try {
      const domain = await discoverDomain(session, opts);
      let since = opts.since;
      let from = since ? usnVectorOf(since) : ZERO_USN_VECTOR;
      for (let page = 0; ; page++) {
        if (opts.signal?.aborted) throw new DrsrError('drsr.aborted', 'replication was cancelled');
        const reply = await session.getNcChanges({
          destinationDsa: domain.destinationDsa,
          sourceInvocationId: since?.invocationId,
          nc: { dn: domain.namingContext },
          from,
          upToDate: since ? cursorsOf(since) : undefined,
          flags: NC_REPLICATION_FLAGS,
          maxObjects: opts.pageSize ?? 1000,
          maxBytes: MAX_NDR_SIZE,
          extendedOp: EXOP.NONE,
          partialAttributeSet: PARTIAL_ATTRIBUTE_SET,
        });
        checkReply(reply, opts, domain.namingContext);
        if (page === 0 && since && reply.sourceInvocationId !== since.invocationId) {
          // The watermark is another DC's (or a restored one's): its USNs mean nothing here.
          since = undefined;
          state.restarted = true;
          from = ZERO_USN_VECTOR;
          page = -1;
          continue;
        }
        for (const obj of reply.objects) {
          if (isWantedAccount(obj, reply.prefixTable, opts.includeComputers ?? false)) {
            yield toAccount(obj, reply.prefixTable, session.sessionKey);
          }
        }
        from = reply.to;
        if (!reply.moreData) {
          state.watermark = toWatermark(reply.sourceInvocationId, reply.to, reply.upToDate ?? []);
          return;
        }
      }
    } finally {
      await session.close();
    }
  }
  return {
    [Symbol.asyncIterator]: run,
    get watermark() {
      return state.watermark;
    },
    get restartedFromScratch() {
      return state.restarted;
    },
  };
}
