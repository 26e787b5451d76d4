import type { Members, TargetAttributes } from '@cloudsync/protocol';
import { type ApplyContext, importStep, type Outcome, rememberObject, type Step } from './apply-context.js';
import { bool, modifiedProperties, strOr } from './attributes.js';

export interface ObjectUpsert {
  anchor: string;
  distinguishedName: string;
  attributes: TargetAttributes;
  creationOnlyAttributes?: TargetAttributes;
  members?: Members;
}

const fallbackName = (dn: string): string =>
  /^CN=((?:\\.|[^,])+)/i.exec(dn)?.[1]?.replace(/\\(.)/g, '$1') ?? dn;

/** Creates or updates a synced group; its members are applied when the cycle ends (see `applyMembers`). */
export async function applyGroupUpsert(ctx: ApplyContext, change: ObjectUpsert): Promise<Outcome> {
  const steps: Step[] = [importStep(change.distinguishedName)];
  const before = await ctx.db
    .selectFrom('groups')
    .selectAll()
    .where('on_premises_immutable_id', '=', change.anchor)
    .executeTakeFirst();
  const attributes = before ? change.attributes : { ...change.attributes, ...change.creationOnlyAttributes };
  const keep = (name: string, old: string | null | undefined) => strOr(attributes, name, old);
  const displayName = keep('displayName', before?.display_name) ?? fallbackName(change.distinguishedName);
  const input = {
    onPremisesImmutableId: change.anchor,
    displayName,
    mailNickname:
      keep('mailNickname', before?.mail_nickname) ?? displayName.replace(/[^A-Za-z0-9]/g, '') ?? 'group',
    securityEnabled: bool(
      attributes,
      'securityEnabled',
      before ? Boolean(Number(before.security_enabled)) : true,
    ),
    mailEnabled: bool(attributes, 'mailEnabled', before ? Boolean(Number(before.mail_enabled)) : false),
    description: keep('description', before?.description),
    mail: keep('mail', before?.mail),
    onPremisesSamAccountName: keep('onPremisesSamAccountName', before?.on_premises_sam_account_name),
    onPremisesDistinguishedName: keep('onPremisesDistinguishedName', before?.on_premises_distinguished_name),
    onPremisesDomainName: keep('onPremisesDomainName', before?.on_premises_domain_name),
    onPremisesSecurityIdentifier: keep(
      'onPremisesSecurityIdentifier',
      before?.on_premises_security_identifier,
    ),
  };
  const { group, created } = await ctx.directory.syncedGroups.upsertSyncedGroup(ctx.actor, input);
  await rememberObject(ctx, {
    anchor: change.anchor,
    objectType: 'group',
    cloudId: group.id,
    distinguishedName: change.distinguishedName,
  });
  if (change.members) {
    await ctx.db
      .insertInto('sync_pending_members')
      .values({ cycle_id: ctx.cycleId, group_anchor: change.anchor, members: JSON.stringify(change.members) })
      .onConflict((oc) =>
        oc.columns(['cycle_id', 'group_anchor']).doUpdateSet({ members: JSON.stringify(change.members) }),
      )
      .execute();
  }
  const old = before
    ? {
        displayName: before.display_name,
        mailNickname: before.mail_nickname,
        securityEnabled: Boolean(Number(before.security_enabled)),
        mailEnabled: Boolean(Number(before.mail_enabled)),
        description: before.description,
        mail: before.mail,
        onPremisesSamAccountName: before.on_premises_sam_account_name,
        onPremisesDistinguishedName: before.on_premises_distinguished_name,
        onPremisesDomainName: before.on_premises_domain_name,
        onPremisesSecurityIdentifier: before.on_premises_security_identifier,
      }
    : undefined;
  const { onPremisesImmutableId: _a, ...shown } = input;
  const modified = modifiedProperties(old, shown);
  const changed = created || modified.length > 0;
  steps.push({
    name: 'action',
    status: 'success',
    detail: changed ? `${created ? 'Created' : 'Updated'} the group.` : 'Nothing changed.',
  });
  return {
    result: changed ? 'applied' : 'skipped',
    action: created ? 'Create' : changed ? 'Update' : 'Skip',
    cloudId: group.id,
    targetName: group.displayName,
    modified,
    steps,
  };
}

/** Creates or updates a synced contact. */
export async function applyContactUpsert(ctx: ApplyContext, change: ObjectUpsert): Promise<Outcome> {
  const steps: Step[] = [importStep(change.distinguishedName)];
  const before = await ctx.db
    .selectFrom('contacts')
    .selectAll()
    .where('on_premises_immutable_id', '=', change.anchor)
    .executeTakeFirst();
  const attributes = before ? change.attributes : { ...change.attributes, ...change.creationOnlyAttributes };
  const keep = (name: string, old: string | null | undefined) => strOr(attributes, name, old);
  const input = {
    displayName: keep('displayName', before?.display_name) ?? fallbackName(change.distinguishedName),
    givenName: keep('givenName', before?.given_name),
    surname: keep('surname', before?.surname),
    mail: keep('mail', before?.mail),
    mailNickname: keep('mailNickname', before?.mail_nickname),
    companyName: keep('companyName', before?.company_name),
    jobTitle: keep('jobTitle', before?.job_title),
    department: keep('department', before?.department),
  };
  const contact = await ctx.directory.contacts.upsertSyncedContact(ctx.actor, change.anchor, input);
  await rememberObject(ctx, {
    anchor: change.anchor,
    objectType: 'contact',
    cloudId: contact.id,
    distinguishedName: change.distinguishedName,
  });
  const old = before
    ? {
        displayName: before.display_name,
        givenName: before.given_name,
        surname: before.surname,
        mail: before.mail,
        mailNickname: before.mail_nickname,
        companyName: before.company_name,
        jobTitle: before.job_title,
        department: before.department,
      }
    : undefined;
  const modified = modifiedProperties(old, input);
  const changed = !before || modified.length > 0;
  steps.push({
    name: 'action',
    status: 'success',
    detail: changed ? `${before ? 'Updated' : 'Created'} the contact.` : 'Nothing changed.',
  });
  return {
    result: changed ? 'applied' : 'skipped',
    action: !before ? 'Create' : changed ? 'Update' : 'Skip',
    cloudId: contact.id,
    targetName: contact.displayName,
    modified,
    steps,
  };
}
