import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { Clock } from '../directory/clock.js';
import type { PasswordResetDatabase, PasswordResetFlowsTable } from './schema.js';

/**
 * A reset flow lives 15 minutes; a one-time code 10 minutes. A flow allows 5 codes tried in all,
 * whatever the method (choosing the method again does not give more), and a reset flow at most 3
 * code challenges (e-mails sent or authenticator asked).
 */
export const FLOW_TTL_MS = 15 * 60_000;
export const CODE_TTL_MS = 10 * 60_000;
export const MAX_CODE_ATTEMPTS = 5;
export const MAX_RESET_CHALLENGES = 3;

/** `reused`: an authenticator code of a time step already accepted once. */
export type CodeCheck = 'ok' | 'wrong' | 'reused' | 'expired' | 'too_many';

/** Checks a code with no hash in the flow (an authenticator's). */
export type CodeVerifier = () => Promise<'ok' | 'wrong' | 'reused'>;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Eight random digits. */
export function newCode(): string {
  return String(randomInt(0, 100_000_000)).padStart(8, '0');
}

/**
 * Reset and registration flows in progress. The browser holds a 256-bit token; the store keeps its
 * SHA-256 as the id, and a code only as `$sha256$` of flow id and code (single use: cleared once
 * it matched).
 */
export function createFlowStore({ db, clock }: { db: Kysely<PasswordResetDatabase>; clock: Clock }) {
  const idOf = (token: string) => sha256(`flow:${token}`);
  const codeHash = (id: string, code: string) => `$sha256$${sha256(`${id}:${code.trim()}`)}`;
  const now = () => clock.now();

  return {
    async create(userId: string, purpose: PasswordResetFlowsTable['purpose']): Promise<string> {
      const token = randomBytes(32).toString('base64url');
      const at = now();
      await db
        .insertInto('password_reset_flows')
        .values({
          id: idOf(token),
          user_id: userId,
          purpose,
          method: null,
          code_hash: null,
          code_expires_at: null,
          code_attempts: 0,
          challenge_count: 0,
          pending_value: null,
          verified_at: null,
          expires_at: new Date(at.getTime() + FLOW_TTL_MS).toISOString(),
          created_at: at.toISOString(),
        })
        .execute();
      // Old flows go with new ones: the table holds only what is in progress.
      await db.deleteFrom('password_reset_flows').where('expires_at', '<', at.toISOString()).execute();
      return token;
    },
    async find(token: string): Promise<PasswordResetFlowsTable | undefined> {
      const row = await db
        .selectFrom('password_reset_flows')
        .selectAll()
        .where('id', '=', idOf(token))
        .executeTakeFirst();
      return row && row.expires_at > now().toISOString() ? row : undefined;
    },
    /**
     * Starts a code challenge (e-mail code, or TOTP when `code` is undefined); false when a reset
     * flow already had `MAX_RESET_CHALLENGES`. The tries already made in the flow stay counted.
     */
    async challenge(
      token: string,
      method: string,
      code: string | undefined,
      pendingValue?: string,
    ): Promise<boolean> {
      const id = idOf(token);
      const started = await db
        .updateTable('password_reset_flows')
        .set({
          method,
          code_hash: code === undefined ? null : codeHash(id, code),
          code_expires_at: new Date(now().getTime() + CODE_TTL_MS).toISOString(),
          challenge_count: sql<number>`challenge_count + 1`,
          pending_value: pendingValue ?? null,
          verified_at: null,
        })
        .where('id', '=', id)
        .where((eb) =>
          eb.or([eb('purpose', '=', 'register'), eb('challenge_count', '<', MAX_RESET_CHALLENGES)]),
        )
        .executeTakeFirst();
      return Number(started.numUpdatedRows) === 1;
    },
    /**
     * Counts an attempt (one conditional increment, so racing guesses cannot exceed the limit) and
     * compares. `verify` checks a TOTP when the flow holds no code hash.
     */
    async checkCode(token: string, code: string, verify?: CodeVerifier): Promise<CodeCheck> {
      const id = idOf(token);
      const row = await db
        .selectFrom('password_reset_flows')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      if (!row?.code_expires_at || row.code_expires_at <= now().toISOString()) return 'expired';
      const counted = await db
        .updateTable('password_reset_flows')
        .set({ code_attempts: sql<number>`code_attempts + 1` })
        .where('id', '=', id)
        .where('code_attempts', '<', MAX_CODE_ATTEMPTS)
        .executeTakeFirst();
      if (Number(counted.numUpdatedRows) !== 1) return 'too_many';
      let said: 'ok' | 'wrong' | 'reused';
      if (row.code_hash) {
        const a = Buffer.from(row.code_hash);
        const b = Buffer.from(codeHash(id, code));
        said = a.length === b.length && timingSafeEqual(a, b) ? 'ok' : 'wrong';
      } else said = verify ? await verify() : 'wrong';
      if (said !== 'ok') return said;
      // Single use: the code is cleared as it is accepted; a second use finds no code.
      const used = await db
        .updateTable('password_reset_flows')
        .set({ code_hash: null, code_expires_at: null, verified_at: now().toISOString() })
        .where('id', '=', id)
        .where('code_expires_at', '=', row.code_expires_at)
        .executeTakeFirst();
      return Number(used.numUpdatedRows) === 1 ? 'ok' : 'expired';
    },
    async end(token: string): Promise<void> {
      await db.deleteFrom('password_reset_flows').where('id', '=', idOf(token)).execute();
    },
  };
}

export type FlowStore = ReturnType<typeof createFlowStore>;
