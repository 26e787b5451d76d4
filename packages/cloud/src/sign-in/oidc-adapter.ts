import type { Kysely } from 'kysely';
import type { Adapter, AdapterFactory, AdapterPayload } from 'oidc-provider';
import type { SignInDatabase } from './schema.js';

/** Looks up a client's metadata by id (app registrations and the built-in first-party clients). */
export type ClientLookup = (clientId: string) => Promise<AdapterPayload | undefined>;

const epoch = (): number => Math.floor(Date.now() / 1000);

/**
 * oidc-provider's storage adapter over the store: every model (Session, Grant, AuthorizationCode,
 * DeviceCode, RefreshToken, Interaction, ...) is one row of `oidc_models`, keyed by model and id,
 * with the columns its secondary lookups need. Clients are not stored here: they come from
 * `lookupClient`, so app registrations stay in their own table.
 * @example
 *   new Provider(issuer, { adapter: createOidcAdapter(db, lookupClient) });
 */
export function createOidcAdapter(
  db: Kysely<SignInDatabase>,
  lookupClient: ClientLookup,
  options: { purgeEvery?: number; onPurgeError?: (err: unknown) => void } = {},
): AdapterFactory {
  // Expired rows are already invisible; every `purgeEvery` writes they are also deleted, in the
  // background, so a long-running cloud does not accumulate them.
  const purgeEvery = options.purgeEvery ?? 500;
  let writes = 0;
  const afterWrite = () => {
    writes += 1;
    if (writes % purgeEvery !== 0) return;
    purgeExpiredOidcModels(db).catch((err: unknown) => options.onPurgeError?.(err));
  };
  return (model: string): Adapter =>
    model === 'Client' ? clientAdapter(lookupClient) : modelAdapter(db, model, afterWrite);
}

function clientAdapter(lookupClient: ClientLookup): Adapter {
  const readOnly = async (): Promise<undefined> => {
    throw new Error('clients are app registrations: change them through the directory, not oidc-provider');
  };
  return {
    find: (id) => lookupClient(id),
    upsert: readOnly,
    findByUserCode: async () => undefined,
    findByUid: async () => undefined,
    consume: readOnly,
    destroy: readOnly,
    revokeByGrantId: async () => undefined,
  };
}

function modelAdapter(db: Kysely<SignInDatabase>, model: string, afterWrite: () => void): Adapter {
  const live = () =>
    db
      .selectFrom('oidc_models')
      .select(['payload', 'consumed_at'])
      .where('model', '=', model)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', epoch())]));

  const toPayload = (row: { payload: string; consumed_at: number | string | null } | undefined) => {
    if (!row) return undefined;
    // The row holds exactly what upsert was given, serialised as JSON.
    const payload = JSON.parse(row.payload) as AdapterPayload;
    return row.consumed_at === null ? payload : { ...payload, consumed: Number(row.consumed_at) };
  };

  return {
    async upsert(id, payload, expiresIn) {
      const row = {
        model,
        id,
        payload: JSON.stringify(payload),
        grant_id: payload.grantId ?? null,
        user_code: payload.userCode ?? null,
        uid: payload.uid ?? null,
        expires_at: expiresIn ? epoch() + expiresIn : null,
      };
      await db
        .insertInto('oidc_models')
        .values(row)
        .onConflict((oc) =>
          oc.columns(['model', 'id']).doUpdateSet({
            payload: row.payload,
            grant_id: row.grant_id,
            user_code: row.user_code,
            uid: row.uid,
            expires_at: row.expires_at,
          }),
        )
        .execute();
      afterWrite();
    },
    async find(id) {
      return toPayload(await live().where('id', '=', id).executeTakeFirst());
    },
    async findByUserCode(userCode) {
      return toPayload(await live().where('user_code', '=', userCode).executeTakeFirst());
    },
    async findByUid(uid) {
      return toPayload(await live().where('uid', '=', uid).executeTakeFirst());
    },
    async consume(id) {
      await db
        .updateTable('oidc_models')
        .set({ consumed_at: epoch() })
        .where('model', '=', model)
        .where('id', '=', id)
        .execute();
    },
    async destroy(id) {
      await db.deleteFrom('oidc_models').where('model', '=', model).where('id', '=', id).execute();
    },
    async revokeByGrantId(grantId) {
      await db.deleteFrom('oidc_models').where('model', '=', model).where('grant_id', '=', grantId).execute();
    },
  };
}

/** Deletes expired rows; the cloud calls this now and then (expired rows are already ignored). */
export async function purgeExpiredOidcModels(db: Kysely<SignInDatabase>): Promise<number> {
  const result = await db.deleteFrom('oidc_models').where('expires_at', '<=', epoch()).executeTakeFirst();
  return Number(result.numDeletedRows);
}
