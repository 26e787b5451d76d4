import type { HashEnvelopeBatch, HashEnvelopeBatchAcknowledgement } from '@cloudsync/protocol';
import { ProtocolError } from '@cloudsync/protocol';
import type { Kysely } from 'kysely';
import type { AgentRecord, CloudSync } from '../agents/index.js';
import type { Clock } from '../directory/clock.js';
import type { Directory } from '../directory/index.js';
import type { Database } from '../store/schema.js';
import type { SyncIngestDatabase, SyncIngestTables } from '../sync-ingest/schema.js';

export interface PasswordHashSyncDeps {
  db: Kysely<Database>;
  directory: Directory;
  cloudSync: Pick<CloudSync, 'configurationForAgent'>;
  clock: Clock;
}

type ItemResult = HashEnvelopeBatchAcknowledgement['results'][number];

/**
 * Stores the hash-of-hash envelopes an agent sends (`POST /agent/v1/password-hashes`). An envelope
 * replaces the user's password hash only if its `pwdLastSet` is newer than the one the cloud holds,
 * so a resent or late batch never rolls a password back. Only for configurations with password hash
 * sync on, and only for users that configuration synced.
 */
export function createPasswordHashSync(deps: PasswordHashSyncDeps) {
  const db: Kysely<SyncIngestDatabase> = deps.db.withTables<SyncIngestTables>();

  async function storeOne(
    agent: AgentRecord,
    configurationId: string,
    item: HashEnvelopeBatch['items'][number],
  ): Promise<ItemResult> {
    const object = await db
      .selectFrom('sync_objects')
      .select(['cloud_id', 'object_type', 'state'])
      .where('configuration_id', '=', configurationId)
      .where('anchor', '=', item.anchor)
      .executeTakeFirst();
    if (object?.object_type !== 'user' || object.state !== 'active') {
      return { anchor: item.anchor, result: 'unknown-anchor', code: 'OBJECT_NOT_FOUND' };
    }
    const state = await db
      .selectFrom('password_hash_sync_state')
      .select('pwd_last_set')
      .where('user_id', '=', object.cloud_id)
      .executeTakeFirst();
    const incoming = new Date(item.pwdLastSet).toISOString();
    if (state && state.pwd_last_set > incoming) return { anchor: item.anchor, result: 'stale' };
    if (state && state.pwd_last_set === incoming) return { anchor: item.anchor, result: 'unchanged' };
    await deps.directory.syncedUsers.setPasswordHash(
      { kind: 'agent', id: agent.id },
      object.cloud_id,
      item.envelope,
    );
    const now = deps.clock.now().toISOString();
    await db
      .insertInto('password_hash_sync_state')
      .values({ user_id: object.cloud_id, pwd_last_set: incoming, updated_at: now })
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ pwd_last_set: incoming, updated_at: now }))
      .execute();
    return { anchor: item.anchor, result: 'applied' };
  }

  async function handleBatch(
    agent: AgentRecord,
    batch: HashEnvelopeBatch,
  ): Promise<HashEnvelopeBatchAcknowledgement> {
    const configuration = await deps.cloudSync.configurationForAgent(agent, batch.configurationId, {
      enabled: true,
    });
    if (!configuration.passwordHashSync) {
      throw new ProtocolError(
        'FORBIDDEN',
        'Password hash sync is off for this configuration: no hash is accepted.',
      );
    }
    const results: ItemResult[] = [];
    for (const item of batch.items) {
      try {
        results.push(await storeOne(agent, batch.configurationId, item));
      } catch {
        results.push({ anchor: item.anchor, result: 'error', code: 'INTERNAL' });
      }
    }
    return { batchId: batch.batchId, results };
  }

  return { handleBatch };
}

export type PasswordHashSync = ReturnType<typeof createPasswordHashSync>;
