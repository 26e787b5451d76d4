// The directory's contract suite: one set of tests run against every store backend (SQLite and
// PostgreSQL), covering each query and rule. Backends differ only in how they create a location.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { CloudError } from '../errors.js';
import { verifyPassword } from '../sign-in/password-hash.js';
import { openStore, type Store, type StoreLocation } from '../store/open-store.js';
import { initTenant } from '../tenant/init-tenant.js';
import type { Actor } from './actor.js';
import { createDirectory, type Directory } from './index.js';

export class MovableClock {
  constructor(public current = new Date('2026-01-01T00:00:00.000Z')) {}
  now(): Date {
    return new Date(this.current);
  }
  advanceDays(days: number): void {
    this.current = new Date(this.current.getTime() + days * 86_400_000);
  }
}

/** Asserts that `promise` rejects with a CloudError of `status`, optionally naming `target`. */
export async function rejectsWith(
  promise: Promise<unknown>,
  status: number,
  match?: RegExp,
  target?: string,
) {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof CloudError, `expected a CloudError, got ${String(err)}`);
    assert.equal(err.status, status, err.message);
    if (match) assert.match(err.message, match);
    if (target) assert.equal(err.target, target);
    return true;
  });
}

const E5 = 'c42b9cae-ea4f-4ab7-9717-81576235ccac';
const AAD_P1 = '078d2b04-f1bd-4111-bbd4-b4b1b354cef4';

export interface ContractContext {
  store: Store;
  directory: Directory;
  clock: MovableClock;
  admin: Actor;
  domain: string;
  txt: Map<string, string[]>;
}

/** Opens a store at `location`, builds the directory and initialises tenant `contoso`. */
async function setUp(location: StoreLocation): Promise<ContractContext> {
  const store = await openStore(location);
  const clock = new MovableClock();
  const txt = new Map<string, string[]>();
  const directory = createDirectory({
    db: store.db,
    clock,
    lookupTxt: async (name) => txt.get(name) ?? [],
    hash: async (password) => `$test$${password.length}`,
  });
  const init = await initTenant(
    { directory, clock },
    { name: 'contoso', domainSuffix: 'cloudsync.test', adminPassword: 'Admin-Pass-1' },
  );
  const adminUser = await directory.users.get(init.adminUserPrincipalName);
  const admin: Actor = { kind: 'user', id: adminUser.id, userPrincipalName: adminUser.userPrincipalName };
  return { store, directory, clock, admin, domain: init.initialDomain, txt };
}

/**
 * Runs the whole directory contract against one backend.
 * @example runDirectoryContract('sqlite', async () => ({ sqliteFile: join(tmp, 'x.sqlite') }));
 */
export function runDirectoryContract(label: string, newLocation: () => Promise<StoreLocation>): void {
  describe(`directory contract (${label})`, () => {
    let ctx: ContractContext;
    let location: StoreLocation;
    beforeEach(async () => {
      location = await newLocation();
      ctx = await setUp(location);
    });
    afterEach(async () => {
      await ctx.store.close();
    });

    const newUser = (upnLocal: string, extra: Record<string, unknown> = {}) =>
      ctx.directory.users.create(ctx.admin, {
        displayName: upnLocal,
        userPrincipalName: `${upnLocal}@${ctx.domain}`,
        ...extra,
      });

    test('init creates tenant, verified initial domain, admin with role, catalogue; re-init changes nothing', async () => {
      const { directory, store, domain } = ctx;
      assert.equal(domain, 'contoso.cloudsync.test');
      const org = await directory.organization();
      assert.equal(org?.displayName, 'contoso');
      assert.deepEqual(
        org?.verifiedDomains.map((d) => [d.name, d.isInitial]),
        [['contoso.cloudsync.test', true]],
      );
      const admin = await directory.users.get('ADMIN@contoso.cloudsync.test');
      assert.deepEqual(await directory.roles.rolesOf(admin.id), ['GlobalAdministrator', 'User']);
      await rejectsWith(
        directory.roles.unassign(ctx.admin, admin.id, 'GlobalAdministrator'),
        400,
        /last Global Administrator/,
      );
      await rejectsWith(
        ctx.directory.deletedUsers.remove(ctx.admin, admin.id),
        400,
        /last Global Administrator/,
      );
      const second = await newUser('second-admin');
      await directory.roles.assign(ctx.admin, second.id, 'GlobalAdministrator');
      await directory.roles.unassign(ctx.admin, admin.id, 'GlobalAdministrator');
      assert.deepEqual(await directory.roles.rolesOf(admin.id), ['User']);
      assert.deepEqual(
        (await directory.roles.listAssignments()).map((a) => [a.principalId, a.role]),
        [[second.id, 'GlobalAdministrator']],
      );
      const record = await directory.findSignInRecord('admin@contoso.cloudsync.test');
      assert.equal(record?.passwordHash?.startsWith('$scrypt$'), true);
      assert.equal(await verifyPassword('Admin-Pass-1', record?.passwordHash ?? ''), true);
      const skus = await directory.licenses.listSkus();
      assert.deepEqual(
        skus.map((s) => s.skuPartNumber),
        ['AAD_PREMIUM', 'DEVELOPERPACK_E5', 'ENTERPRISEPACK', 'EXCHANGESTANDARD'],
      );
      assert.ok(
        skus
          .find((s) => s.skuPartNumber === 'DEVELOPERPACK_E5')
          ?.servicePlans.some((p) => p.servicePlanName === 'EXCHANGE_S_ENTERPRISE'),
      );
      await rejectsWith(
        initTenant(
          { directory, clock: ctx.clock },
          { name: 'fabrikam', domainSuffix: 'x.test', adminPassword: 'Other-Pass-2' },
        ),
        409,
        /already has tenant 'contoso'/,
      );
      assert.equal((await store.db.selectFrom('users').select('id').execute()).length, 2);
      assert.equal((await store.db.selectFrom('domains').select('id').execute()).length, 1);
      assert.equal((await store.db.selectFrom('tenant').select('id').execute()).length, 1);
    });

    test('users: create, get by id or UPN in any case, no secret in the object', async () => {
      const alice = await newUser('alice', { givenName: 'Alice', usageLocation: 'FR' });
      assert.equal(alice.onPremisesSyncEnabled, null);
      assert.equal(alice.accountEnabled, true);
      assert.equal(alice.mailNickname, 'alice');
      assert.equal(
        (await ctx.directory.users.get(alice.id)).userPrincipalName,
        'alice@contoso.cloudsync.test',
      );
      assert.equal((await ctx.directory.users.get('ALICE@Contoso.CloudSync.Test')).id, alice.id);
      assert.equal(JSON.stringify(alice).includes('hash'), false);
      await rejectsWith(ctx.directory.users.get('00000000-0000-0000-0000-000000000000'), 404);
    });

    test('users: UPNs unique case-insensitively, verified domain required, syntax checked', async () => {
      await newUser('bob');
      await rejectsWith(
        newUser('BOB'),
        400,
        /same value for property userPrincipalName/,
        'userPrincipalName',
      );
      await rejectsWith(
        ctx.directory.users.create(ctx.admin, { displayName: 'x', userPrincipalName: 'x@fabrikam.com' }),
        400,
        /verified domain/,
        'userPrincipalName',
      );
      await rejectsWith(
        ctx.directory.users.create(ctx.admin, { displayName: 'x', userPrincipalName: 'no at sign' }),
        400,
        /userPrincipalName/,
      );
      await rejectsWith(
        newUser('weak', { passwordProfile: { password: 'password' } }),
        400,
        /complexity/,
        'passwordProfile.password',
      );
      const users = await ctx.directory.users.list((q) => q.orderBy('id'));
      assert.deepEqual(users.map((u) => u.userPrincipalName).sort(), [
        'admin@contoso.cloudsync.test',
        'bob@contoso.cloudsync.test',
      ]);
    });

    test('users: update, rename to a free UPN, refuse a taken one; audit records who/what/result', async () => {
      const carol = await newUser('carol');
      await newUser('dave');
      const updated = await ctx.directory.users.update(ctx.admin, carol.id, {
        jobTitle: 'Engineer',
        accountEnabled: false,
      });
      assert.equal(updated.jobTitle, 'Engineer');
      assert.equal(updated.accountEnabled, false);
      await ctx.directory.users.update(ctx.admin, carol.id, { userPrincipalName: `caroline@${ctx.domain}` });
      await rejectsWith(
        ctx.directory.users.update(ctx.admin, carol.id, {
          userPrincipalName: `Dave@${ctx.domain}`,
          jobTitle: 'changed',
        }),
        400,
        /already exists/,
      );
      assert.equal((await ctx.directory.users.get(carol.id)).jobTitle, 'Engineer', 'nothing half-written');
      const audits = await ctx.directory.audit.list({ top: 3 });
      assert.equal(audits[0]?.activityDisplayName, 'Update user');
      assert.equal(audits[0]?.result, 'failure');
      assert.equal(audits[0]?.initiatedBy.user?.id, ctx.admin.id);
      assert.equal(audits[0]?.targetResources[0]?.id, carol.id);
      assert.equal(audits[1]?.result, 'success');
      assert.ok(
        audits[1]?.targetResources[0]?.modifiedProperties.some(
          (p) => p.displayName === 'user_principal_name',
        ),
      );
      const page2 = await ctx.directory.audit.list({
        top: 100,
        after: { at: audits[0]?.activityDateTime ?? '', id: audits[0]?.id ?? '' },
      });
      assert.ok(!page2.some((a) => a.id === audits[0]?.id));
    });

    test('synced users: ingest upserts by anchor; admins cannot edit on-premises attributes but can set usage location', async () => {
      const input = {
        onPremisesImmutableId: 'AAECAwQFBgcICQoLDA0ODw==',
        userPrincipalName: `erin@${ctx.domain}`,
        displayName: 'Erin',
        accountEnabled: true,
        onPremisesSamAccountName: 'erin',
        onPremisesDomainName: 'corp.contoso.com',
      };
      const first = await ctx.directory.syncedUsers.upsertSyncedUser(ctx.admin, input);
      assert.equal(first.created, true);
      assert.equal(first.user.onPremisesSyncEnabled, true);
      assert.equal(first.user.onPremisesLastSyncDateTime, ctx.clock.now().toISOString());
      const again = await ctx.directory.syncedUsers.upsertSyncedUser(ctx.admin, {
        ...input,
        displayName: 'Erin B.',
      });
      assert.equal(again.created, false);
      assert.equal(again.user.id, first.user.id);
      assert.equal(again.user.displayName, 'Erin B.');
      await rejectsWith(
        ctx.directory.users.update(ctx.admin, first.user.id, { displayName: 'Hacked' }),
        400,
        /displayName' is managed by on-premises sync/,
        'displayName',
      );
      await rejectsWith(
        ctx.directory.users.update(ctx.admin, first.user.id, { accountEnabled: false }),
        400,
        /accountEnabled/,
      );
      await rejectsWith(
        ctx.directory.deletedUsers.remove(ctx.admin, first.user.id),
        400,
        /on premises|on-premises/,
      );
      const located = await ctx.directory.users.update(ctx.admin, first.user.id, { usageLocation: 'DE' });
      assert.equal(located.usageLocation, 'DE');
      assert.equal(
        (await ctx.directory.syncedUsers.findByImmutableId(input.onPremisesImmutableId))?.id,
        first.user.id,
      );
      await ctx.directory.syncedUsers.setPasswordHash(
        ctx.admin,
        first.user.id,
        '$pbkdf2-sha256-nt$i=1000$AA==$AA==',
      );
      assert.equal(
        (await ctx.directory.findSignInRecord(input.userPrincipalName))?.passwordHash,
        '$pbkdf2-sha256-nt$i=1000$AA==$AA==',
      );
    });

    test('licences: need a usage location, count seats, all or nothing, details show disabled plans', async () => {
      const frank = await newUser('frank');
      await rejectsWith(
        ctx.directory.licenses.assign(ctx.admin, frank.id, {
          addLicenses: [{ skuId: E5 }],
          removeLicenses: [],
        }),
        400,
        /^License assignment cannot be done for user with invalid usage location\.$/,
      );
      await ctx.directory.users.update(ctx.admin, frank.id, { usageLocation: 'US' });
      const exchange = '9aaf7827-d63c-4b61-89c3-182f06f82e5c';
      await rejectsWith(
        ctx.directory.licenses.assign(ctx.admin, frank.id, {
          addLicenses: [{ skuId: E5 }, { skuId: AAD_P1, disabledPlans: [exchange] }],
          removeLicenses: [],
        }),
        400,
        /not part of license/,
      );
      assert.deepEqual((await ctx.directory.users.get(frank.id)).assignedLicenses, [], 'E5 rolled back');
      const teams = '57ff2da0-773e-42df-b2af-ffb7a2317929';
      const licensed = await ctx.directory.licenses.assign(ctx.admin, frank.id, {
        addLicenses: [{ skuId: E5, disabledPlans: [teams] }],
        removeLicenses: [],
      });
      assert.deepEqual(licensed.assignedLicenses, [{ skuId: E5, disabledPlans: [teams] }]);
      const details = await ctx.directory.licenses.licenseDetails(frank.userPrincipalName);
      assert.equal(details[0]?.skuPartNumber, 'DEVELOPERPACK_E5');
      assert.equal(
        details[0]?.servicePlans.find((p) => p.servicePlanId === teams)?.provisioningStatus,
        'Disabled',
      );
      const e5 = async () => (await ctx.directory.licenses.listSkus()).find((s) => s.skuId === E5);
      assert.equal((await e5())?.consumedUnits, 1);
      await ctx.store.db
        .updateTable('subscribed_skus')
        .set({ enabled_units: 1 })
        .where('sku_id', '=', E5)
        .execute();
      const grace = await newUser('grace', { usageLocation: 'US' });
      await rejectsWith(
        ctx.directory.licenses.assign(ctx.admin, grace.id, {
          addLicenses: [{ skuId: E5 }],
          removeLicenses: [],
        }),
        400,
        /does not have any available licenses/,
      );
      await ctx.directory.licenses.assign(ctx.admin, frank.id, { addLicenses: [], removeLicenses: [E5] });
      assert.equal((await e5())?.consumedUnits, 0);
      await ctx.directory.licenses.assign(ctx.admin, grace.id, {
        addLicenses: [{ skuId: E5 }],
        removeLicenses: [],
      });
      await rejectsWith(
        ctx.directory.licenses.assign(ctx.admin, grace.id, {
          addLicenses: [{ skuId: '11111111-1111-1111-1111-111111111111' }],
          removeLicenses: [],
        }),
        400,
        /valid company License/,
      );
    });

    test('licences: concurrent assignments never exceed the seats', async () => {
      await ctx.store.db
        .updateTable('subscribed_skus')
        .set({ enabled_units: 2 })
        .where('sku_id', '=', AAD_P1)
        .execute();
      const users = await Promise.all(
        ['h1', 'h2', 'h3', 'h4', 'h5'].map((n) => newUser(n, { usageLocation: 'US' })),
      );
      const results = await Promise.allSettled(
        users.map((u) =>
          ctx.directory.licenses.assign(ctx.admin, u.id, {
            addLicenses: [{ skuId: AAD_P1 }],
            removeLicenses: [],
          }),
        ),
      );
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 2);
      const sku = (await ctx.directory.licenses.listSkus()).find((s) => s.skuId === AAD_P1);
      assert.equal(sku?.consumedUnits, 2);
      const rows = await ctx.store.db
        .selectFrom('license_assignments')
        .select('user_id')
        .where('sku_id', '=', AAD_P1)
        .execute();
      assert.equal(rows.length, 2);
    });

    test('deleted users: soft-deleted for 30 days, restorable, then purged with seats and memberships freed', async () => {
      const ivan = await newUser('ivan', { usageLocation: 'US' });
      await ctx.directory.licenses.assign(ctx.admin, ivan.id, {
        addLicenses: [{ skuId: E5 }],
        removeLicenses: [],
      });
      const group = await ctx.directory.groups.create(ctx.admin, {
        displayName: 'G',
        mailNickname: 'g',
        mailEnabled: false,
        securityEnabled: true,
      });
      await ctx.directory.groups.addMember(ctx.admin, group.id, ivan.id);
      await ctx.directory.deletedUsers.remove(ctx.admin, ivan.id);
      await rejectsWith(ctx.directory.users.get(ivan.id), 404);
      assert.deepEqual(await ctx.directory.groups.listMembers(group.id), []);
      await rejectsWith(newUser('ivan'), 400, /already exists/);
      const deleted = await ctx.directory.deletedUsers.list((q) => q);
      assert.deepEqual(
        deleted.map((u) => u.id),
        [ivan.id],
      );
      assert.equal(deleted[0]?.deletedDateTime, ctx.clock.now().toISOString());
      ctx.clock.advanceDays(29);
      const restored = await ctx.directory.deletedUsers.restore(ctx.admin, ivan.id);
      assert.equal(restored.deletedDateTime, null);
      assert.equal((await ctx.directory.groups.listMembers(group.id)).length, 1);
      await ctx.directory.deletedUsers.remove(ctx.admin, ivan.id);
      ctx.clock.advanceDays(31);
      await rejectsWith(ctx.directory.deletedUsers.restore(ctx.admin, ivan.id), 404);
      assert.deepEqual(await ctx.directory.deletedUsers.list((q) => q), []);
      assert.equal(await ctx.directory.deletedUsers.purgeExpired(ctx.admin), 1);
      assert.equal(
        (await ctx.store.db.selectFrom('users').select('id').where('id', '=', ivan.id).execute()).length,
        0,
      );
      assert.equal((await ctx.directory.licenses.listSkus()).find((s) => s.skuId === E5)?.consumedUnits, 0);
      assert.deepEqual(await ctx.directory.groups.memberOf(ivan.id), []);
      await newUser('ivan');
    });

    test('groups: members of every kind, nesting without cycles, duplicates refused, delete', async () => {
      const g = ctx.directory.groups;
      const mk = (name: string) =>
        g.create(ctx.admin, {
          displayName: name,
          mailNickname: name,
          mailEnabled: false,
          securityEnabled: true,
        });
      const [a, b, c] = [await mk('a'), await mk('b'), await mk('c')];
      const judy = await newUser('judy');
      const contact = await ctx.directory.contacts.create(ctx.admin, {
        displayName: 'Partner',
        mail: 'p@partner.example',
      });
      await g.addMember(ctx.admin, a.id, judy.id);
      await g.addMember(ctx.admin, a.id, contact.id);
      await g.addMember(ctx.admin, a.id, b.id);
      await g.addMember(ctx.admin, b.id, c.id);
      await rejectsWith(g.addMember(ctx.admin, c.id, a.id), 400, /cycle/, 'members');
      await rejectsWith(g.addMember(ctx.admin, a.id, a.id), 400, /cycle/);
      await rejectsWith(g.addMember(ctx.admin, a.id, judy.id), 400, /already exist/);
      await rejectsWith(g.addMember(ctx.admin, a.id, '00000000-0000-0000-0000-000000000000'), 404);
      const members = await g.listMembers(a.id);
      assert.deepEqual(members.map((m) => m['@odata.type']).sort(), [
        '#microsoft.graph.group',
        '#microsoft.graph.orgContact',
        '#microsoft.graph.user',
      ]);
      const rows = await (await g.members(a.id)).execute();
      assert.deepEqual(
        rows
          .map((r) => [r.display_name, r.member_type, r.user_principal_name])
          .sort((x, y) => x[1]?.localeCompare(y[1] ?? '') ?? 0),
        [
          ['Partner', 'contact', null],
          ['b', 'group', null],
          ['judy', 'user', judy.userPrincipalName],
        ],
      );
      await rejectsWith(g.members('00000000-0000-0000-0000-000000000000'), 404);
      await g.removeMember(ctx.admin, a.id, contact.id);
      await rejectsWith(g.removeMember(ctx.admin, a.id, contact.id), 404);
      const renamed = await g.update(ctx.admin, a.id, { description: 'Team A' });
      assert.equal(renamed.description, 'Team A');
      await g.remove(ctx.admin, b.id);
      assert.deepEqual(
        (await g.listMembers(a.id)).map((m) => m.id),
        [judy.id],
      );
      assert.deepEqual(
        (await g.list((q) => q.orderBy('display_name'))).map((x) => x.displayName),
        ['a', 'c'],
      );
    });

    test('synced groups: ingest upserts by anchor and manages members; admins cannot', async () => {
      const input = {
        onPremisesImmutableId: 'Z3JvdXAtMQ==',
        displayName: 'Sales',
        mailNickname: 'sales',
        securityEnabled: true,
        mailEnabled: false,
        onPremisesSamAccountName: 'Sales',
      };
      const { group, created } = await ctx.directory.syncedGroups.upsertSyncedGroup(ctx.admin, input);
      assert.equal(created, true);
      assert.equal(group.onPremisesSyncEnabled, true);
      const again = await ctx.directory.syncedGroups.upsertSyncedGroup(ctx.admin, {
        ...input,
        displayName: 'Sales EU',
      });
      assert.deepEqual(
        [again.created, again.group.id, again.group.displayName],
        [false, group.id, 'Sales EU'],
      );
      const user = await newUser('olga');
      await rejectsWith(ctx.directory.groups.addMember(ctx.admin, group.id, user.id), 400, /members/);
      await rejectsWith(
        ctx.directory.groups.update(ctx.admin, group.id, { displayName: 'x' }),
        400,
        /displayName/,
      );
      await rejectsWith(ctx.directory.groups.remove(ctx.admin, group.id), 400, /on-premises/);
      await ctx.directory.groups.addMember(ctx.admin, group.id, user.id, { bySync: true });
      assert.deepEqual(
        (await ctx.directory.groups.listMembers(group.id)).map((m) => m.id),
        [user.id],
      );
      await ctx.directory.groups.removeMember(ctx.admin, group.id, user.id, { bySync: true });
    });

    test('contacts: create, update, synced ones guarded', async () => {
      const c = await ctx.directory.contacts.create(ctx.admin, {
        displayName: 'Kim',
        mail: 'kim@example.com',
      });
      assert.equal(
        (await ctx.directory.contacts.update(ctx.admin, c.id, { companyName: 'Acme' })).companyName,
        'Acme',
      );
      const synced = await ctx.directory.contacts.upsertSyncedContact(ctx.admin, 'anchor-1', {
        displayName: 'Lee',
      });
      assert.equal(synced.onPremisesSyncEnabled, true);
      await rejectsWith(
        ctx.directory.contacts.update(ctx.admin, synced.id, { displayName: 'X' }),
        400,
        /on-premises sync/,
      );
      await rejectsWith(ctx.directory.contacts.remove(ctx.admin, synced.id), 400);
      await ctx.directory.contacts.remove(ctx.admin, c.id);
      assert.deepEqual(
        (await ctx.directory.contacts.list((q) => q)).map((x) => x.id),
        [synced.id],
      );
    });

    test('domains: added unverified, unusable for UPNs until the TXT record verifies', async () => {
      const d = ctx.directory.domains;
      const added = await d.add(ctx.admin, 'Fabrikam.com');
      assert.equal(added.id, 'fabrikam.com');
      assert.equal(added.isVerified, false);
      await rejectsWith(d.add(ctx.admin, 'fabrikam.com'), 400, /already exists/);
      await rejectsWith(d.add(ctx.admin, 'not a domain'), 400);
      const [record] = await d.verificationDnsRecords('fabrikam.com');
      assert.match(record?.text ?? '', /^cloudsync-verification=[0-9a-f]{32}$/);
      await rejectsWith(
        ctx.directory.users.create(ctx.admin, { displayName: 'M', userPrincipalName: 'm@fabrikam.com' }),
        400,
        /verified domain/,
      );
      ctx.txt.set('fabrikam.com', ['v=spf1 -all', 'cloudsync-verification=wrong']);
      await rejectsWith(d.verify(ctx.admin, 'fabrikam.com'), 400, /verification failed/);
      assert.equal((await d.get('fabrikam.com')).isVerified, false);
      ctx.txt.set('fabrikam.com', ['v=spf1 -all', record?.text ?? '']);
      assert.equal((await d.verify(ctx.admin, 'fabrikam.com')).isVerified, true);
      const m = await ctx.directory.users.create(ctx.admin, {
        displayName: 'M',
        userPrincipalName: 'm@Fabrikam.com',
      });
      await rejectsWith(d.remove(ctx.admin, 'fabrikam.com'), 400, /still used/);
      await rejectsWith(d.remove(ctx.admin, ctx.domain), 400, /initial domain/);
      await ctx.directory.deletedUsers.remove(ctx.admin, m.id);
      await ctx.directory.deletedUsers.hardDelete(ctx.admin, m.id);
      await d.remove(ctx.admin, 'fabrikam.com');
      assert.deepEqual(
        (await d.list()).map((x) => x.id),
        [ctx.domain],
      );
    });

    test('a reopened store loses nothing', async () => {
      const nina = await newUser('nina', { usageLocation: 'NL' });
      await ctx.directory.licenses.assign(ctx.admin, nina.id, {
        addLicenses: [{ skuId: E5 }],
        removeLicenses: [],
      });
      await ctx.store.close();
      ctx = await reopen(location);
      const again = await ctx.directory.users.get(nina.id);
      assert.equal(again.userPrincipalName, nina.userPrincipalName);
      assert.deepEqual(
        again.assignedLicenses.map((l) => l.skuId),
        [E5],
      );
      assert.equal((await ctx.directory.organization())?.displayName, 'contoso');
    });
  });
}

async function reopen(location: StoreLocation): Promise<ContractContext> {
  const store = await openStore(location);
  const clock = new MovableClock();
  const directory = createDirectory({ db: store.db, clock, lookupTxt: async () => [] });
  const org = await directory.organization();
  const admin = await directory.users.get(`admin@${org?.verifiedDomains[0]?.name ?? ''}`);
  return {
    store,
    directory,
    clock,
    admin: { kind: 'user', id: admin.id, userPrincipalName: admin.userPrincipalName },
    domain: org?.verifiedDomains[0]?.name ?? '',
    txt: new Map(),
  };
}
