// Bad input from AD, end to end (real DC → agent → cloud): Unicode and 64-character names, a user
// with neither UPN nor display name, two UPNs that collide under the cloud's UPN rule, a group with a
// member outside the scoped OU, and odd attribute values. Each is synced and logged; no cycle fails.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { CycleSummary } from '../../../packages/agent/src/state/local-store.js';
import {
  addMember,
  adFromEnv,
  createGroup,
  createOu,
  createUser,
  deleteEntry,
  escapeRdn,
  type TestUser,
  withAdmin,
} from '../../support/ad.js';
import { uniqueName } from '../../support/unique.js';
import { type AgentFixture, startAgentFixture } from './agent-fixture.js';
import { cloudGroup, described, logEntries, memberIds } from './cloud-views.js';

let a: AgentFixture;
let outsideOu: string;
const realm = adFromEnv().realm.toLowerCase();

/** Adds an enabled user without a password under its own CN, with exactly `attributes`. */
async function addUser(cn: string, attributes: Record<string, string>): Promise<string> {
  const dn = `CN=${escapeRdn(cn)},${a.ou}`;
  await withAdmin((c) =>
    c.add(dn, {
      objectClass: ['top', 'person', 'organizationalPerson', 'user'],
      userAccountControl: String(512 | 0x20),
      ...attributes,
    }),
  );
  return dn;
}

async function cycleSucceeds(): Promise<CycleSummary> {
  const summary = await a.cycle();
  assert.equal(summary.error, undefined, JSON.stringify(summary));
  assert.equal(summary.state, 'accepted', JSON.stringify(summary));
  assert.equal(summary.counts?.errors ?? 0, 0, JSON.stringify(summary));
  return summary;
}

async function user(upn: string, select: string): Promise<Record<string, unknown>> {
  const res = await a.fx.call('GET', `/v1.0/users/${encodeURIComponent(upn)}?$select=${select}`);
  assert.equal(res.status, 200, `${upn}: ${res.text}`);
  return res.body as Record<string, unknown>;
}

const UNICODE = {
  accents: { givenName: 'Zoë', sn: 'Ångström-Müller', displayName: 'Zoë Ångström-Müller' },
  cjk: { givenName: '太郎', sn: '山田', displayName: '山田 太郎' },
  emoji: { givenName: 'Rocket', sn: '🚀', displayName: '🚀 Rocket 👩‍💻 Team' },
  rtl: { givenName: 'مريم', sn: 'العلي', displayName: 'مريم العلي' },
};
const unicodeSams = new Map<string, string>();
let cjkCn: string;
let longLocal: string;
let longCn: string;
let bare: { sam: string; cn: string };
let clash: { local: string; first: TestUser; second: TestUser };
let inside: TestUser;
let outside: TestUser;
let mixed: { dn: string; sam: string };
let odd: { sam: string; description: string; title: string };

before(async () => {
  a = await startAgentFixture({ passwordHashSync: false });
  outsideOu = await createOu('outside');
  for (const [kind, names] of Object.entries(UNICODE)) {
    unicodeSams.set(kind, (await createUser({ ou: a.ou, sam: `uni${kind.slice(0, 3)}`, ...names })).sam);
  }
  // A CN in CJK and a UPN local part that needs folding: the DN itself is Unicode.
  const cjkSam = uniqueName('cjk');
  cjkCn = `山田 ${cjkSam}`;
  await addUser(cjkCn, { sAMAccountName: cjkSam, userPrincipalName: `${cjkSam}@${realm}` });
  unicodeSams.set('cjk-cn', cjkSam);
  // 64 characters: the longest UPN local part and the longest CN AD allows.
  const longSam = uniqueName('long');
  longLocal = `${longSam}.${'x'.repeat(64 - longSam.length - 1)}`;
  longCn = `${longSam} ${'L'.repeat(64 - longSam.length - 1)}`;
  assert.equal(longLocal.length, 64);
  assert.equal(longCn.length, 64);
  await addUser(longCn, {
    sAMAccountName: longSam,
    userPrincipalName: `${longLocal}@${realm}`,
    displayName: `${'D'.repeat(200)} ${longSam}`,
  });
  // Neither userPrincipalName nor displayName.
  const bareSam = uniqueName('bare');
  bare = { sam: bareSam, cn: `Bare ${bareSam}` };
  await addUser(bare.cn, { sAMAccountName: bareSam });
  // The same local part under two suffixes, neither verified in the cloud: one UPN there.
  const local = uniqueName('clash');
  clash = {
    local,
    first: await createUser({ ou: a.ou, sam: 'clasha', upn: `${local}@${realm}` }),
    second: await createUser({ ou: a.ou, sam: 'clashb', upn: `${local}@elsewhere.example.test` }),
  };
  inside = await createUser({ ou: a.ou, sam: 'inside', displayName: 'Inside Member' });
  outside = await createUser({ ou: outsideOu, sam: 'outside', displayName: 'Outside Member' });
  mixed = await createGroup({ ou: a.ou, name: 'mixed' });
  await addMember(mixed.dn, inside.dn, outside.dn);
  odd = {
    sam: '',
    description: `${'A very long description. '.repeat(40)}end`.slice(0, 1024),
    title: 'Chief\u0001Bell\u0007Tab\tNew\nLine\u007f',
  };
  const oddGroup = await createGroup({ ou: a.ou, name: 'oddgrp', extra: { description: odd.description } });
  odd.sam = oddGroup.sam;
  await createUser({ ou: a.ou, sam: 'oddtitle', displayName: 'Odd Title', extra: { title: odd.title } });
});
after(async () => {
  await deleteEntry(outsideOu).catch(() => undefined);
  await a?.close();
});

test('the first cycle syncs every odd object and fails none', async () => {
  const summary = await cycleSucceeds();
  assert.equal(summary.kind, 'full');
});

test('Unicode names (accents, CJK, emoji, right-to-left) arrive unchanged', async () => {
  for (const [kind, names] of Object.entries(UNICODE)) {
    const sam = unicodeSams.get(kind);
    const got = await user(`${sam}@${a.fx.domain}`, 'displayName,givenName,surname');
    assert.equal(got.displayName, names.displayName, kind);
    assert.equal(got.givenName, names.givenName, kind);
    assert.equal(got.surname, names.sn, kind);
  }
  const sam = unicodeSams.get('cjk-cn') ?? '';
  const got = await user(`${sam}@${a.fx.domain}`, 'id,displayName,onPremisesDistinguishedName');
  assert.equal(got.displayName, cjkCn, 'no displayName: the CN, in CJK');
  assert.equal(got.onPremisesDistinguishedName, `CN=${cjkCn},${a.ou}`);
  const [entry] = await logEntries(a, String(got.id));
  assert.ok(entry, 'a provisioning-log entry for the CJK user');
  assert.equal(entry.statusInfo.status, 'success');
  assert.equal(entry.provisioningAction, 'create');
  assert.equal(entry.sourceIdentity.displayName, `CN=${cjkCn},${a.ou}`);
});

test('a 64-character UPN local part and CN, and a 200-character display name, are kept whole', async () => {
  const got = await user(`${longLocal}@${a.fx.domain}`, 'id,userPrincipalName,displayName');
  assert.equal(got.userPrincipalName, `${longLocal}@${a.fx.domain}`);
  assert.equal(String(got.displayName).length, 201 + longCn.indexOf(' '));
  const [entry] = await logEntries(a, String(got.id));
  assert.equal(entry?.statusInfo.status, 'success');
});

test('a user with neither UPN nor display name gets sam@domain and its CN', async () => {
  const got = await user(`${bare.sam}@${a.fx.domain}`, 'id,displayName,onPremisesUserPrincipalName');
  assert.equal(got.displayName, bare.cn);
  assert.equal(got.onPremisesUserPrincipalName ?? null, null, 'AD has no UPN');
  const [entry] = await logEntries(a, String(got.id));
  assert.equal(entry?.statusInfo.status, 'success');
});

test('two UPNs that collide in the cloud: the second gets a variant, logged as a warning', async () => {
  const taken = `${clash.local}@${a.fx.domain}`;
  const holder = await user(taken, 'id,onPremisesUserPrincipalName');
  const variantOf = holder.onPremisesUserPrincipalName === clash.first.upn ? clash.second : clash.first;
  const warned = (await logEntries(a, `CN=${variantOf.sam},${a.ou}`)).find(
    (e) => e.statusInfo.errorInformation?.errorCode === 'UPN_CONFLICT',
  );
  assert.ok(warned, 'a UPN_CONFLICT entry for the user that lost the UPN');
  assert.equal(warned.statusInfo.status, 'warning');
  const variant = String(warned.targetIdentity.displayName);
  assert.match(variant, new RegExp(`^${clash.local}\\d+@${a.fx.domain.replaceAll('.', '\\.')}$`));
  assert.match(described(warned), new RegExp(`${taken}.*${variant}`));
  const other = await user(variant, 'onPremisesUserPrincipalName');
  assert.equal(other.onPremisesUserPrincipalName, variantOf.upn);
  // Deterministic: a full cycle again keeps both where they are.
  const again = await a.cycle({ kind: 'full' });
  assert.equal(again.state, 'accepted', JSON.stringify(again));
  assert.equal((await user(taken, 'id')).id, holder.id);
  assert.equal(
    (await user(variant, 'onPremisesUserPrincipalName')).onPremisesUserPrincipalName,
    variantOf.upn,
  );
});

test('a group with a member outside the scoped OU syncs without it, and its log entry says so', async () => {
  const group = await cloudGroup(a, mixed.sam);
  const member = await user(`${inside.sam}@${a.fx.domain}`, 'id');
  assert.deepEqual(await memberIds(a, group.id), [member.id]);
  assert.equal(
    (await a.fx.call('GET', `/v1.0/users/${encodeURIComponent(`${outside.sam}@${a.fx.domain}`)}`)).status,
    404,
  );
  const entries = await logEntries(a, group.id);
  const left = entries.find((e) => e.provisioningSteps.some((s) => s.name === 'membership'));
  assert.ok(left, `a membership entry for the group: ${JSON.stringify(entries)}`);
  assert.equal(left.statusInfo.status, 'warning');
  assert.match(described(left), /1 member\(s\) are not synced by this configuration/);
});

test('odd values: a 1,024-character description and a title with control characters', async () => {
  const group = await cloudGroup(a, odd.sam);
  assert.equal(group.description, odd.description);
  const res = await a.fx.call(
    'GET',
    `/v1.0/users?$filter=startswith(userPrincipalName,'oddtitle-')&$select=id,jobTitle`,
  );
  assert.equal(res.status, 200, res.text);
  const [got] = (res.body as { value: { id: string; jobTitle: string | null }[] }).value;
  assert.ok(got, 'the user with the odd title is synced');
  assert.equal(got.jobTitle, odd.title);
});
