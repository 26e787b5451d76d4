import type { Kysely } from 'kysely';
import type { Clock } from '../directory/clock.js';
import type { ResetMethod } from './policy.js';
import type { PasswordResetDatabase } from './schema.js';

/** A registered reset method: the e-mail address, or the authenticator's TOTP secret (base32). */
export interface RegisteredMethod {
  kind: ResetMethod;
  value: string;
}

/**
 * The reset methods people registered (one per kind). TOTP secrets are kept like the signing
 * keys: in the store, unencrypted — protect the database as a secret.
 */
export function createMethodStore({ db, clock }: { db: Kysely<PasswordResetDatabase>; clock: Clock }) {
  return {
    async list(userId: string): Promise<RegisteredMethod[]> {
      const rows = await db
        .selectFrom('auth_methods')
        .select(['kind', 'value'])
        .where('user_id', '=', userId)
        .execute();
      return rows.map((r) => ({ kind: r.kind, value: r.value }));
    },
    async set(userId: string, method: RegisteredMethod): Promise<void> {
      const now = clock.now().toISOString();
      await db
        .insertInto('auth_methods')
        .values({ user_id: userId, kind: method.kind, value: method.value, created_at: now })
        .onConflict((oc) =>
          oc.columns(['user_id', 'kind']).doUpdateSet({ value: method.value, created_at: now }),
        )
        .execute();
    },
  };
}

export type MethodStore = ReturnType<typeof createMethodStore>;

/** `a***@contoso.com`: enough for the owner to recognise, little for anyone else. */
export function maskEmail(address: string): string {
  const [local = '', domain = ''] = address.split('@');
  return `${local.slice(0, 1)}***@${domain}`;
}
