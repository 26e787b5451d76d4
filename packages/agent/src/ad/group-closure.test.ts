import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  addMember,
  adFromEnv,
  createGroup,
  createOu,
  createUser,
  deleteEntry,
  removeMember,
} from '../../../../tests/support/ad.js';
import { uniqueName } from '../../../../tests/support/unique.js';
import { type AdConnection, connectAd } from './connection.js';
import { parseExtendedDn, resolveGroupScope, scopeMovement } from './group-closure.js';

test('parseExtendedDn splits GUID, SID and DN; the SID is optional', () => {
  const guid = '2230c33cefe65a4ea483b618ec5423de';
  assert.deepEqual(parseExtendedDn(`<GUID=${guid.toUpperCase()}>;<SID=0105000000000005>;CN=a\\,b,DC=x`), {
    guid,
    dn: 'CN=a\\,b,DC=x',
  });
  assert.deepEqual(parseExtendedDn(`<GUID=${guid}>;CN=Contact,DC=x`), { guid, dn: 'CN=Contact,DC=x' });
  assert.equal(parseExtendedDn('CN=plain,DC=x'), undefined);
  assert.equal(parseExtendedDn('<GUID=123>;CN=short,DC=x'), undefined);
});

test('scopeMovement: who joined or left, less what the delta read anyway', () => {
  assert.deepEqual(scopeMovement(new Set(['a', 'b']), ['b', 'c'], new Set()), ['c', 'a']);
  assert.deepEqual(scopeMovement(new Set(['a', 'b']), ['b', 'c'], new Set(['c'])), ['a']);
  assert.deepEqual(scopeMovement(new Set(), [], new Set()), []);
  assert.deepEqual(scopeMovement(new Set(['a']), ['a'], new Set()), []);
});

describe('resolveGroupScope against the DC', () => {
  const env = adFromEnv();
  let ad: AdConnection;
  let ou: string;
  before(async () => {
    ou = await createOu('closure');
    ad = await connectAd({
      url: env.ldapsUrl,
      bindDn: env.adminUpn,
      password: env.adminPassword,
      tls: { caFile: env.caFile },
    });
  });
  after(async () => {
    await ad?.close();
    await deleteEntry(ou).catch(() => undefined);
  });

  const guidOf = async (dn: string) => {
    const [entry] = await ad.search(dn, {
      scope: 'base',
      attributes: ['objectGUID'],
      explicitBufferAttributes: ['objectGUID'],
    });
    const guid = entry?.objectGUID;
    assert.ok(Buffer.isBuffer(guid));
    return guid.toString('hex');
  };

  test('nested members at any depth, read in small ranges; a cycle A ∈ B ∈ A ends', async () => {
    // A name a filter string would have to escape, not ASCII: the in-chain search is built from filter objects.
    const a = await createGroup({ ou, name: 'Ü(EU),P*', extra: { sAMAccountName: uniqueName('sp') } });
    const b = await createGroup({ ou, name: 'nest-b' });
    const c = await createGroup({ ou, name: 'nest-c' });
    const direct = await createUser({ ou, sam: 'cdirect' });
    const inB = await createUser({ ou, sam: 'cinb' });
    const inC = [];
    for (let i = 0; i < 5; i++) inC.push(await createUser({ ou, sam: 'cinc' }));
    const outside = await createUser({ ou, sam: 'cout' });
    await addMember(a.dn, direct.dn, b.dn);
    await addMember(b.dn, inB.dn, c.dn);
    await addMember(c.dn, ...inC.map((u) => u.dn));
    await addMember(c.dn, a.dn); // the cycle

    const scope = await resolveGroupScope(ad, env.baseDn, [a.dn], { rangeSize: 2 });
    assert.deepEqual(scope.missing, []);
    assert.equal(scope.groupsRead, 3);
    for (const u of [direct, inB, ...inC, b, c, a])
      assert.deepEqual(scope.byGuid.get(await guidOf(u.dn)), [a.dn]);
    assert.equal(scope.byGuid.has(await guidOf(outside.dn)), false);
    assert.equal(scope.byGuid.size, 10);

    // Two selected groups: a member of both names both; B alone does not reach A's direct member.
    const both = await resolveGroupScope(ad, env.baseDn, [a.dn, b.dn]);
    assert.deepEqual(both.byGuid.get(await guidOf(inB.dn)), [a.dn, b.dn]);
    const onlyB = await resolveGroupScope(ad, env.baseDn, [b.dn]);
    assert.equal(onlyB.byGuid.has(await guidOf(direct.dn)), true, 'through C ∋ A, A’s members are in B');
    await removeMember(c.dn, a.dn);
    const noCycle = await resolveGroupScope(ad, env.baseDn, [b.dn]);
    assert.equal(noCycle.byGuid.has(await guidOf(direct.dn)), false);
    assert.equal(noCycle.byGuid.size, 7);
  });

  test('a selected group that does not exist has no members and is reported', async () => {
    const gone = `CN=never-there,${ou}`;
    const g = await createGroup({ ou, name: 'present' });
    const u = await createUser({ ou, sam: 'cpres' });
    await addMember(g.dn, u.dn);
    const scope = await resolveGroupScope(ad, env.baseDn, [gone, g.dn]);
    assert.deepEqual(scope.missing, [gone]);
    assert.deepEqual([...scope.byGuid.values()], [[g.dn]]);
  });
});
