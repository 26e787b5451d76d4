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
    /** Registers (or replaces) a method; `totpStep` is the authenticator step its proof used. */
    async set(userId: string, method: RegisteredMethod, totpStep?: number): Promise<void> {
      const now = clock.now().toISOString();
      const last_totp_step = totpStep ?? null;
      await db
        .insertInto('auth_methods')
        .values({ user_id: userId, kind: method.kind, value: method.value, created_at: now, last_totp_step })
        .onConflict((oc) =>
          oc
            .columns(['user_id', 'kind'])
            .doUpdateSet({ value: method.value, created_at: now, last_totp_step }),
        )
        .execute();
    },
    /**
     * Accepts an authenticator code's time step once: false when this step (or a later one) was
     * accepted before, so a code seen once cannot be used again in another flow.
     */
    async acceptTotpStep(userId: string, step: number): Promise<boolean> {
      const r = await db
        .updateTable('auth_methods')
        .set({ last_totp_step: step })
        .where('user_id', '=', userId)
        .where('kind', '=', 'authenticatorApp')
        .where((eb) => eb.or([eb('last_totp_step', 'is', null), eb('last_totp_step', '<', step)]))
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
  };
}

export type MethodStore = ReturnType<typeof createMethodStore>;

/** `a***@contoso.com`: enough for the owner to recognise, little for anyone else. */
export function maskEmail(address: string): string {
  const [local = '', domain = ''] = address.split('@');
  return `${local.slice(0, 1)}***@${domain}`;
}
