// Password hash sync: NT hashes by MS-DRSR replication → hash-of-hash envelopes → the cloud. Only
// users the configuration exported get a hash; each NT hash buffer is zeroed as soon as its envelope
// is derived, and no hash is ever logged or stored. The DRSR watermark advances only after every
// batch was accepted.
import { randomUUID } from 'node:crypto';
import { type HashEnvelopeItem, hashOfHash, LIMITS } from '@cloudsync/protocol';
import type { Logger } from 'pino';
import type { ReplicatedAccount } from '../drsr/index.js';
import { type ReplicationCredentials, replicateObject, replicateSecrets } from '../drsr/index.js';
import type { LocalStore } from '../state/local-store.js';
import type { Uplink } from '../uplink/uplink.js';

export interface HashSyncOptions {
  uplink: Uplink;
  store: LocalStore;
  log: Logger;
  configurationId: string;
  /** The DC to replicate from and the service account holding both replication rights. */
  drsr: { host: string; port?: number; credentials: ReplicationCredentials; timeoutMs?: number };
  /** Replicate every user (first cycle, restart) instead of the changes since the watermark. */
  full: boolean;
  now?: () => Date;
  signal?: AbortSignal;
}

export interface HashSyncResult {
  /** Envelopes the cloud applied (or already had). */
  sent: number;
  /** Envelopes the cloud refused or could not place. */
  failed: number;
  /** Users replicated one by one because they were new in scope without a password change. */
  fetchedSingly: number;
}

const EPOCH_1970 = Date.UTC(1970, 0, 1);

/** Collects envelopes into batches of ≤1,000 and sends each. */
function createBatcher(options: HashSyncOptions, result: HashSyncResult) {
  let items: HashEnvelopeItem[] = [];
  const flush = async () => {
    if (items.length === 0) return;
    const batch = { configurationId: options.configurationId, batchId: randomUUID(), items };
    items = [];
    const ack = await options.uplink.sendHashes(batch);
    for (const r of ack.results) {
      if (r.result === 'applied' || r.result === 'unchanged' || r.result === 'stale') result.sent += 1;
      else result.failed += 1;
    }
    options.store.markHashSynced(
      options.configurationId,
      ack.results.filter((r) => r.result !== 'error' && r.result !== 'unknown-anchor').map((r) => r.anchor),
    );
  };
  return {
    async add(item: HashEnvelopeItem) {
      items.push(item);
      if (items.length >= LIMITS.hashesPerBatch) await flush();
    },
    flush,
  };
}

/** Turns one replicated account into an envelope for an exported user; always zeroes the NT hash. */
async function envelopeOf(
  options: HashSyncOptions,
  account: ReplicatedAccount,
  seen: { covered: Set<string>; noPassword: Set<string> },
): Promise<HashEnvelopeItem | undefined> {
  const nt = account.ntHash;
  try {
    const exported = options.store.exportedByGuid(options.configurationId, account.objectGuid);
    if (exported?.objectType !== 'user' || account.isDeleted) return undefined;
    seen.covered.add(exported.anchor);
    if (!nt) {
      seen.noPassword.add(exported.anchor);
      return undefined;
    }
    const envelope = await hashOfHash(nt);
    const now = options.now?.() ?? new Date();
    const set = account.pwdLastSet && account.pwdLastSet.getTime() > EPOCH_1970 ? account.pwdLastSet : now;
    return { anchor: exported.anchor, envelope, pwdLastSet: set.toISOString() };
  } finally {
    nt?.fill(0);
  }
}

/**
 * Runs password hash sync for one configuration.
 * @example
 *   const r = await syncPasswordHashes({ uplink, store, log, configurationId, drsr, full: false });
 */
export async function syncPasswordHashes(options: HashSyncOptions): Promise<HashSyncResult> {
  const result: HashSyncResult = { sent: 0, failed: 0, fetchedSingly: 0 };
  const batcher = createBatcher(options, result);
  const cursor = options.store.cursor(options.configurationId);
  const since = options.full ? undefined : cursor?.drsrWatermark;
  const seen = { covered: new Set<string>(), noPassword: new Set<string>() };
  const run = replicateSecrets({
    ...options.drsr,
    ...(since ? { since } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  for await (const account of run) {
    const item = await envelopeOf(options, account, seen);
    if (item) await batcher.add(item);
  }
  const watermark = run.watermark;
  // Users new in scope whose password did not change since the watermark: one object each.
  for (const user of options.store.usersWithoutHash(options.configurationId)) {
    if (seen.covered.has(user.anchor)) continue;
    result.fetchedSingly += 1;
    const account = await replicateObject({ ...options.drsr, account: user.distinguishedName });
    const item = await envelopeOf(options, account, seen);
    if (item) await batcher.add(item);
  }
  await batcher.flush();
  // Users without a password have nothing to send; remember them so they are not fetched again.
  options.store.markHashSynced(options.configurationId, [...seen.noPassword]);
  if (watermark && result.failed === 0) {
    options.store.commitWatermark(options.configurationId, watermark, options.now?.() ?? new Date());
  }
  options.log.info(
    { configurationId: options.configurationId, full: options.full || !since, ...result },
    'password hash sync done',
  );
  return result;
}
