// One sync cycle of one configuration, as named steps read in order:
//   lease → import → scope/map/diff (plan) → export (pages) → end → commit cursors → password hashes
//   → log → release.
// Cursors (DirSync, DRSR watermark) and the local export state advance only when the cloud answers
// the end marker with `advanceCursor: true`; a crash anywhere before that replays the same changes
// in the next cycle, which the cloud de-duplicates by anchor.
// A cycle held by the cloud's accidental-delete guard is not acknowledged either: every later cycle
// sends the same deletions again, and learns the administrator's decision from the cloud's answer:
// approved (the objects are gone) or rejected (kept, never asked about again), the cycle is
// accepted and the cursor moves past them.
import { randomUUID } from 'node:crypto';
import type { CycleAcknowledgement, CycleKind, ErrorBody, SyncConfiguration } from '@cloudsync/protocol';
import { createChangePlanner } from '@cloudsync/sync-engine';
import type { Logger } from 'pino';
import type { AdConnection } from '../ad/connection.js';
import type { ReplicationCredentials } from '../drsr/index.js';
import { syncPasswordHashes } from '../password-hash-sync/sync-hashes.js';
import type { CycleSummary, LocalStore } from '../state/local-store.js';
import type { Uplink } from '../uplink/uplink.js';
import { CycleStopped, cycleErrorBody } from './errors.js';
import { createPageSender } from './export-pages.js';
import { type PlanOutcome, planChanges } from './plan-changes.js';
import { readChanges, readFull, type SourceRead } from './read-source.js';
import { createFailureTracker, retryGuids, saveRetry } from './retry-failed.js';
import { anchorsOfDns } from './source-entry.js';

/** What a cycle runs with (built once by the service). */
export interface CycleDeps {
  uplink: Uplink;
  store: LocalStore;
  log: Logger;
  /** Opens a connection bound as the service account. */
  connectAd: () => Promise<AdConnection>;
  domainRoot: string;
  /** MS-DRSR target and credentials, for password hash sync. */
  drsr?: { host: string; port?: number; credentials: ReplicationCredentials };
  reconcileMinIntervalMs?: number;
  /** Changes per page (default and maximum 500). */
  pageSize?: number;
  now?: () => Date;
  /** Told when the cycle starts and after each page (the heartbeat's currentCycle). */
  onProgress?: (progress: CycleProgress | undefined) => void;
  signal?: AbortSignal;
}

export interface CycleProgress {
  cycleId: string;
  configurationId: string;
  kind: CycleKind;
  startedAt: string;
  pagesSent: number;
}

/** The kind of the next cycle: full unless a delta cursor exists for this configuration version. */
export function nextCycleKind(store: LocalStore, configuration: SyncConfiguration): CycleKind {
  const cursor = store.cursor(configuration.id);
  return cursor?.deltaState && cursor.configurationVersion === configuration.version ? 'delta' : 'full';
}

/**
 * Runs one cycle. Never throws for AD, DRSR or cloud failures: they end up in the summary's `error`
 * (and the caller's heartbeat). `state` is `waiting` when another agent holds the lease, with the
 * cloud's `retryAfterSeconds` (when that lease ends unless renewed).
 * @example
 *   const summary = await runCycle(deps, configuration);
 *   if (summary.error) log.warn(summary.error, 'cycle failed');
 */
export async function runCycle(
  deps: CycleDeps,
  configuration: SyncConfiguration,
  options: { kind?: CycleKind } = {},
): Promise<CycleSummary & { retryAfterSeconds?: number }> {
  const now = deps.now ?? (() => new Date());
  const kind = options.kind ?? nextCycleKind(deps.store, configuration);
  const progress: CycleProgress = {
    cycleId: randomUUID(),
    configurationId: configuration.id,
    kind,
    startedAt: now().toISOString(),
    pagesSent: 0,
  };
  const summary: CycleSummary = { ...progress, state: 'running' };
  const log = deps.log.child({ cycleId: progress.cycleId, configurationId: configuration.id, kind });

  // lease
  let lease: Awaited<ReturnType<Uplink['acquireLease']>>;
  try {
    lease = await deps.uplink.acquireLease(configuration.id, { cycleId: progress.cycleId, kind });
  } catch (err) {
    return finish(deps, summary, cycleErrorBody(err), now);
  }
  if (lease.state === 'wait') {
    log.info({ retryAfterSeconds: lease.retryAfterSeconds }, 'another agent holds the cycle lease');
    return { ...summary, state: 'waiting', retryAfterSeconds: lease.retryAfterSeconds };
  }
  deps.onProgress?.(progress);
  let ad: AdConnection | undefined;
  try {
    ad = await deps.connectAd();
    const outcome = await syncObjects(deps, configuration, progress, ad, log);
    summary.pages = progress.pagesSent;
    summary.counts = { ...outcome.plan.counts, ...outcome.ack.counts };
    summary.state = outcome.ack.cycleState;
    if (!outcome.ack.advanceCursor) {
      if (outcome.ack.cycleState === 'held-by-delete-guard')
        log.warn(
          { pendingDeletes: outcome.ack.counts.pendingDeletes },
          'deletions held by the accidental-delete guard: the cursor stays until an administrator approves or rejects them',
        );
      const error: ErrorBody = {
        code: outcome.ack.code ?? 'INTERNAL',
        message: outcome.ack.reason ?? `the cloud did not accept the cycle (${outcome.ack.cycleState})`,
        retryable: true,
      };
      return await finish(deps, summary, error, now);
    }
    if (configuration.passwordHashSync && deps.drsr) {
      // The objects are in; a hash sync failure (rights, sealing, DC away) is reported on its own.
      try {
        const hashes = await syncPasswordHashes({
          uplink: deps.uplink,
          store: deps.store,
          log,
          configurationId: configuration.id,
          drsr: deps.drsr,
          full: kind === 'full',
          now,
          ...(deps.signal ? { signal: deps.signal } : {}),
        });
        summary.passwordHashes = { sent: hashes.sent, failed: hashes.failed };
      } catch (err) {
        return await finish(deps, summary, cycleErrorBody(err), now);
      }
    }
    return await finish(deps, summary, undefined, now);
  } catch (err) {
    if (err instanceof CycleStopped) summary.state = err.state;
    else summary.state = 'failed';
    return await finish(deps, summary, err instanceof CycleStopped ? err.body : cycleErrorBody(err), now);
  } finally {
    deps.onProgress?.(undefined);
    await ad?.close().catch(() => undefined);
    await deps.uplink.releaseLease(configuration.id, progress.cycleId).catch(() => undefined);
  }
}

/** import → plan → export → end → commit. */
async function syncObjects(
  deps: CycleDeps,
  configuration: SyncConfiguration,
  progress: CycleProgress,
  ad: AdConnection,
  log: Logger,
): Promise<{ plan: PlanOutcome; ack: CycleAcknowledgement }> {
  const full = progress.kind === 'full';
  const readOptions = {
    domainRoot: deps.domainRoot,
    scope: configuration.scope,
    log,
    ...(deps.reconcileMinIntervalMs === undefined
      ? {}
      : { reconcileMinIntervalMs: deps.reconcileMinIntervalMs }),
    ...(deps.now ? { now: deps.now } : {}),
  };
  const cursor = deps.store.cursor(configuration.id);
  let read: SourceRead;
  const retry = full || !cursor?.deltaState ? [] : retryGuids(deps.store, configuration.id);
  if (retry.length) log.info({ objects: retry.length }, 'retrying the objects that failed last cycle');
  if (full || !cursor?.deltaState) {
    read = await readFull(ad, readOptions);
  } else {
    read = await readChanges(ad, cursor.deltaState, { ...readOptions, retry }).catch((err: unknown) => {
      // A cookie AD no longer accepts (another DC, too old): forget it; the next cycle is full.
      if (
        err instanceof Error &&
        'code' in err &&
        err.code !== 'ad.unreachable' &&
        err.code !== 'ad.timeout'
      ) {
        deps.store.clearCursors(configuration.id);
        throw new CycleStopped(
          { code: 'DIRSYNC_COOKIE_INVALID', message: `${err.message.slice(0, 1500)}`, retryable: true },
          'restart',
        );
      }
      throw err;
    });
  }
  const planner = createChangePlanner(configuration);
  for (const problem of planner.problems) log.warn({ problem }, 'configuration problem');
  const pages = createPageSender({
    uplink: deps.uplink,
    store: deps.store,
    configurationId: configuration.id,
    configurationVersion: configuration.version,
    cycleId: progress.cycleId,
    kind: progress.kind,
    ...(deps.pageSize ? { pageSize: deps.pageSize } : {}),
    onPage: (ack) => {
      log.debug({ sequence: ack.sequence, duplicate: ack.duplicate }, 'page acknowledged');
      progress.pagesSent = pages.pages;
      deps.onProgress?.(progress);
    },
  });
  const failures = createFailureTracker();
  const plan = await planChanges(
    {
      planner,
      store: deps.store,
      configurationId: configuration.id,
      fullImport: full,
      log,
      emit: (change) => {
        failures.sent(change);
        return pages.add(change);
      },
      anchorsOutside: (dns) => anchorsOfDns(ad, deps.domainRoot, dns),
      retry: new Set(retry.map((guid) => guid.toString('hex'))),
    },
    read.items,
  );
  await pages.flush();
  progress.pagesSent = pages.pages;
  const ack = await endCycle(deps, configuration, progress, plan, pages.resend);
  if (ack.advanceCursor) {
    const deltaState = read.nextState();
    deps.store.commitCycle({
      configurationId: configuration.id,
      configurationVersion: configuration.version,
      cycleId: progress.cycleId,
      ...(deltaState ? { deltaState } : {}),
      exported: plan.exported,
      forgotten: plan.forgotten,
      replaceAll: full,
      now: (deps.now ?? (() => new Date()))(),
    });
    saveRetry(deps.store, configuration.id, failures.failed(pages.problems));
  }
  log.info({ pages: pages.pages, ...plan.counts, cycleState: ack.cycleState }, 'cycle pages sent');
  return { plan, ack };
}

/** The end marker; pages the cloud reports missing are re-sent from the outbox, then it is sent again. */
async function endCycle(
  deps: CycleDeps,
  configuration: SyncConfiguration,
  progress: CycleProgress,
  plan: PlanOutcome,
  resend: (sequences: readonly number[]) => Promise<void>,
): Promise<CycleAcknowledgement> {
  const end = {
    configurationId: configuration.id,
    configurationVersion: configuration.version,
    cycleId: progress.cycleId,
    kind: progress.kind,
    pages: progress.pagesSent,
    counts: {
      upserts: plan.counts.upserts,
      deletes: plan.counts.deletes,
      outOfScope: plan.counts.outOfScope,
      unchanged: plan.counts.unchanged,
      skipped: plan.counts.errors,
    },
    startedAt: progress.startedAt,
    endedAt: (deps.now ?? (() => new Date()))().toISOString(),
  };
  for (let attempt = 0; ; attempt++) {
    const ack = await deps.uplink.endCycle(end);
    if (ack.missingSequences.length === 0 || attempt >= 3) return ack;
    await resend(ack.missingSequences);
  }
}

async function finish(
  deps: CycleDeps,
  summary: CycleSummary,
  error: ErrorBody | undefined,
  now: () => Date,
): Promise<CycleSummary> {
  const done: CycleSummary = { ...summary, endedAt: now().toISOString(), ...(error ? { error } : {}) };
  if (error && done.state === 'running') done.state = 'failed';
  deps.store.recordCycle(done);
  const level = error ? 'warn' : 'info';
  deps.log[level]({ cycle: done }, error ? 'cycle ended with an error' : 'cycle done');
  return done;
}
