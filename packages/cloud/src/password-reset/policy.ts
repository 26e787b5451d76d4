import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Clock } from '../directory/clock.js';
import { isSet } from '../store/schema.js';
import type { PasswordResetDatabase } from './schema.js';

export const RESET_METHODS = ['email', 'authenticatorApp'] as const;
export type ResetMethod = (typeof RESET_METHODS)[number];

/** The tenant's self-service password reset policy, as the admin API shows it. */
export interface PasswordResetPolicy {
  /** Who may reset: nobody, everyone, or the members of `groupId`. */
  enabledFor: 'none' | 'all' | 'group';
  groupId: string | null;
  /** Methods people may register and use: one-time code by e-mail, authenticator app (TOTP). */
  methods: ResetMethod[];
  /** People who may reset but registered no method are asked to register one when they sign in. */
  registrationRequired: boolean;
  /** Synced users: unlock the AD account when the password is reset. */
  unlockOnPremisesAccount: boolean;
  /** Synced users: keep AD's "must change password at next logon" as it was (else it is cleared). */
  keepMustChangeAtNextLogon: boolean;
}

export const DEFAULT_RESET_POLICY: Readonly<PasswordResetPolicy> = Object.freeze({
  enabledFor: 'none',
  groupId: null,
  methods: [...RESET_METHODS],
  registrationRequired: false,
  unlockOnPremisesAccount: true,
  keepMustChangeAtNextLogon: false,
});

/** PATCH body of `/v1.0/cloudsync/passwordResetPolicy`: strict, every property optional. */
export const policyPatchSchema = z
  .strictObject({
    enabledFor: z.enum(['none', 'all', 'group']),
    groupId: z.string().uuid().nullable(),
    methods: z.array(z.enum(RESET_METHODS)).min(1).max(2),
    registrationRequired: z.boolean(),
    unlockOnPremisesAccount: z.boolean(),
    keepMustChangeAtNextLogon: z.boolean(),
  })
  .partial();
export type PolicyPatch = z.infer<typeof policyPatchSchema>;

const methodsSchema = z.array(z.enum(RESET_METHODS));

/**
 * The policy row (id `default`) and who it applies to.
 * @example
 *   const policies = createPolicyStore({ db, clock });
 *   if (await policies.appliesTo(user.id)) showResetPage();
 */
export function createPolicyStore({ db, clock }: { db: Kysely<PasswordResetDatabase>; clock: Clock }) {
  async function get(): Promise<PasswordResetPolicy> {
    const row = await db
      .selectFrom('password_reset_policy')
      .selectAll()
      .where('id', '=', 'default')
      .executeTakeFirst();
    if (!row) return { ...DEFAULT_RESET_POLICY, methods: [...DEFAULT_RESET_POLICY.methods] };
    const methods = methodsSchema.safeParse(JSON.parse(row.methods));
    return {
      enabledFor: row.enabled_for,
      groupId: row.group_id,
      methods: methods.success ? methods.data : [],
      registrationRequired: isSet(row.registration_required),
      unlockOnPremisesAccount: isSet(row.unlock_on_reset),
      keepMustChangeAtNextLogon: isSet(row.keep_must_change),
    };
  }

  async function update(patch: PolicyPatch): Promise<PasswordResetPolicy> {
    const next = { ...(await get()), ...patch };
    if (next.enabledFor === 'group' && !next.groupId)
      throw new PolicyError('groupId is required when enabledFor is group', 'groupId');
    if (next.groupId) {
      const group = await db
        .selectFrom('groups')
        .select('id')
        .where('id', '=', next.groupId)
        .executeTakeFirst();
      if (!group) throw new PolicyError(`group ${next.groupId} does not exist`, 'groupId');
    }
    const values = {
      enabled_for: next.enabledFor,
      group_id: next.groupId,
      methods: JSON.stringify(next.methods),
      registration_required: next.registrationRequired ? 1 : 0,
      unlock_on_reset: next.unlockOnPremisesAccount ? 1 : 0,
      keep_must_change: next.keepMustChangeAtNextLogon ? 1 : 0,
      updated_at: clock.now().toISOString(),
    } as const;
    await db
      .insertInto('password_reset_policy')
      .values({ id: 'default', ...values })
      .onConflict((oc) => oc.column('id').doUpdateSet(values))
      .execute();
    return next;
  }

  /** Whether the policy lets this user reset (group members: direct membership). */
  async function appliesTo(userId: string, policy?: PasswordResetPolicy): Promise<boolean> {
    const p = policy ?? (await get());
    if (p.enabledFor === 'all') return true;
    if (p.enabledFor !== 'group' || !p.groupId) return false;
    const member = await db
      .selectFrom('group_members')
      .select('member_id')
      .where('group_id', '=', p.groupId)
      .where('member_id', '=', userId)
      .executeTakeFirst();
    return member !== undefined;
  }

  return { get, update, appliesTo };
}

export type PolicyStore = ReturnType<typeof createPolicyStore>;

/** A policy change the admin must correct; `target` names the property. */
export class PolicyError extends Error {
  override name = 'PolicyError';
  constructor(
    message: string,
    readonly target: string,
  ) {
    super(message);
  }
}
