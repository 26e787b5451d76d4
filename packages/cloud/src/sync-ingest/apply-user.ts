import type { TargetAttributes } from '@cloudsync/protocol';
import type { SyncedUserInput } from '../directory/users/synced-users.js';
import type { DirectoryUser } from '../directory/users/user-model.js';
import {
  type ApplyContext,
  findSyncObject,
  importStep,
  type Outcome,
  rememberObject,
  type Step,
} from './apply-context.js';
import { bool, modifiedProperties, str, strOr } from './attributes.js';
import { cleanLocalPart, decideUpn } from './upn-rule.js';

// Graph properties of a user that the ingest writes, beyond UPN, display name and accountEnabled.
const OPTIONAL_FIELDS = [
  'givenName',
  'surname',
  'mail',
  'mailNickname',
  'jobTitle',
  'department',
  'officeLocation',
  'mobilePhone',
  'companyName',
  'employeeId',
  'onPremisesSamAccountName',
  'onPremisesDistinguishedName',
  'onPremisesDomainName',
  'onPremisesSecurityIdentifier',
  'onPremisesUserPrincipalName',
] as const satisfies readonly (keyof SyncedUserInput & keyof DirectoryUser)[];

export interface UserUpsert {
  anchor: string;
  distinguishedName: string;
  attributes: TargetAttributes;
  creationOnlyAttributes?: TargetAttributes;
}

/** Finds a cloud-only user to adopt: same UPN, or same mail; never one holding an admin role. */
async function softMatch(ctx: ApplyContext, upn: string, mail: string | null | undefined) {
  const candidates = await ctx.db
    .selectFrom('users')
    .select(['id', 'user_principal_name'])
    .where('on_premises_immutable_id', 'is', null)
    .where('deleted_at', 'is', null)
    .where((eb) =>
      mail
        ? eb.or([eb('upn_key', '=', upn.toLowerCase()), eb('mail', '=', mail)])
        : eb('upn_key', '=', upn.toLowerCase()),
    )
    .limit(2)
    .execute();
  for (const candidate of candidates) {
    const admin = await ctx.db
      .selectFrom('directory_role_assignments')
      .select('principal_id')
      .where('principal_id', '=', candidate.id)
      .executeTakeFirst();
    if (!admin) return { ...candidate, blockedAdmin: false };
    return { ...candidate, blockedAdmin: true };
  }
  return undefined;
}

function requestedUpn(attributes: TargetAttributes, ctx: ApplyContext): string {
  return (
    str(attributes, 'userPrincipalName') ??
    str(attributes, 'onPremisesSamAccountName') ??
    `user@${ctx.initialDomain}`
  );
}

/** Creates, updates or restores the synced user anchored by `change.anchor`. */
export async function applyUserUpsert(ctx: ApplyContext, change: UserUpsert): Promise<Outcome> {
  const steps: Step[] = [importStep(change.distinguishedName)];
  const known = await findSyncObject(ctx, change.anchor);
  let existing = await ctx.directory.syncedUsers.findByImmutableId(change.anchor);
  const attributes = existing
    ? change.attributes
    : { ...change.attributes, ...change.creationOnlyAttributes };
  const requested = requestedUpn(attributes, ctx);
  if (existing) {
    steps.push({
      name: 'match',
      status: 'success',
      detail: `Matched ${existing.userPrincipalName} by its anchor.`,
    });
  } else {
    const at = requested.lastIndexOf('@');
    const suffix = requested.slice(at + 1).toLowerCase();
    const domain = ctx.verifiedDomains.has(suffix) ? suffix : ctx.initialDomain;
    const match = await softMatch(
      ctx,
      `${cleanLocalPart(requested.slice(0, Math.max(at, 0)) || requested)}@${domain}`,
      str(attributes, 'mail'),
    );
    if (match && !match.blockedAdmin) {
      await ctx.db
        .updateTable('users')
        .set({ on_premises_immutable_id: change.anchor })
        .where('id', '=', match.id)
        .execute();
      existing = await ctx.directory.syncedUsers.findByImmutableId(change.anchor);
      steps.push({
        name: 'match',
        status: 'success',
        detail: `Soft-matched the cloud user ${match.user_principal_name}.`,
      });
    } else {
      steps.push({
        name: 'match',
        status: match ? 'warning' : 'success',
        detail: match
          ? `${match.user_principal_name} holds an admin role, so it is not soft-matched; a new user is created.`
          : 'No cloud user matched; a new user is created.',
      });
    }
  }
  let action: Outcome['action'] = existing ? 'Update' : 'Create';
  if (existing?.deletedDateTime) {
    await ctx.directory.deletedUsers.restore(ctx.actor, existing.id);
    action = 'Restore';
    steps.push({
      name: 'action',
      status: 'success',
      detail: 'The user is back in scope: restored from deleted users.',
    });
  }
  const selfId = existing?.id;
  const upn = await decideUpn({
    requested,
    anchor: change.anchor,
    verifiedDomains: ctx.verifiedDomains,
    initialDomain: ctx.initialDomain,
    isTaken: async (candidate) =>
      (await ctx.db
        .selectFrom('users')
        .select('id')
        .where('upn_key', '=', candidate.toLowerCase())
        .$if(selfId !== undefined, (q) => q.where('id', '!=', selfId ?? ''))
        .executeTakeFirst()) !== undefined,
  });
  const pick = (name: (typeof OPTIONAL_FIELDS)[number]) => strOr(attributes, name, existing?.[name]);
  const input: SyncedUserInput = {
    onPremisesImmutableId: change.anchor,
    userPrincipalName: upn.userPrincipalName,
    displayName:
      str(attributes, 'displayName') ??
      existing?.displayName ??
      upn.userPrincipalName.split('@')[0] ??
      'user',
    accountEnabled: bool(attributes, 'accountEnabled', existing?.accountEnabled ?? true),
    ...Object.fromEntries(OPTIONAL_FIELDS.map((name) => [name, pick(name)])),
  };
  const { user } = await ctx.directory.syncedUsers.upsertSyncedUser(ctx.actor, input);
  await rememberObject(ctx, {
    anchor: change.anchor,
    objectType: 'user',
    cloudId: user.id,
    distinguishedName: change.distinguishedName,
  });
  const { onPremisesImmutableId: _anchor, ...shown } = input;
  const before: Readonly<Record<string, unknown>> | undefined =
    existing && action !== 'Create' ? { ...existing } : undefined;
  const modified = modifiedProperties(before, shown);
  if (existing?.accountEnabled && !input.accountEnabled) action = 'Disable';
  if (upn.note)
    steps.push({ name: 'action', status: upn.conflict ? 'warning' : 'success', detail: upn.note });
  steps.push({
    name: 'action',
    status: 'success',
    detail: modified.length ? `${action}: ${modified.length} attribute(s) written.` : 'Nothing changed.',
  });
  if (known === undefined && action === 'Update')
    steps.push({ name: 'scope', status: 'success', detail: 'In scope.' });
  return {
    result: upn.conflict ? 'conflict' : modified.length || action !== 'Update' ? 'applied' : 'skipped',
    action: modified.length || action !== 'Update' ? action : 'Skip',
    ...(upn.conflict ? { code: 'UPN_CONFLICT' as const, reason: upn.note } : {}),
    cloudId: user.id,
    targetName: user.userPrincipalName,
    modified,
    steps,
  };
}
