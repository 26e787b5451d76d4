import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import {
  addMember,
  adFromEnv,
  adminClient,
  createGroup,
  createOu,
  createUser,
  escapeRdn,
  readSid,
  withAdmin,
} from '../../../../tests/support/ad.js';
import { addBigGroup } from '../../../../tests/support/big-group.js';
import { uniqueName } from '../../../../tests/support/unique.js';
import {
  type AdObject,
  fileTimeToDate,
  first,
  generalizedTimeToDate,
  guidToString,
  isDisabled,
  sidToString,
} from './attributes.js';
import { type AdConnection, connectAd } from './connection.js';
import { fullImport } from './full-import.js';
import { toAdObject } from './objects.js';
import { readAllValues, readValueRange } from './ranged.js';

const env = adFromEnv();

function connect(): Promise<AdConnection> {
  return connectAd({
    url: env.ldapsUrl,
    bindDn: env.adminUpn,
    password: env.adminPassword,
    tls: { caFile: env.caFile },
  });
}

async function importAll(ad: AdConnection, base: string, pageSize = 3): Promise<AdObject[]> {
  const out: AdObject[] = [];
  for await (const obj of fullImport(ad, { bases: [base], pageSize })) out.push(obj);
  return out;
}

describe('full import', () => {
  let ou: string;
  let unicode: { dn: string; sam: string; upn: string };
  let long: { dn: string; sam: string; upn: string };
  let bare: { dn: string; sam: string; upn: string };
  let disabled: { dn: string; sam: string; upn: string };
  let group: { dn: string; sam: string };
  let contactDn: string;
  let longCn: string;
  const longDisplay = `${'Ωmega-Łukasz-日本語-'.repeat(14)}end`.slice(0, 256);

  before(async () => {
    ou = await createOu('import');
    unicode = await createUser({
      ou,
      sam: 'uni',
      givenName: 'Zoë',
      sn: 'Ørsted-Łukasiewicz',
      displayName: 'Zoë Ørsted 日本 🚀',
      password: 'Unicode-Pass-1!x',
      extra: {
        mail: 'zoe@example.test',
        proxyAddresses: ['SMTP:zoe@example.test', 'smtp:zoe.orsted@example.test'],
        title: 'Ingénieure',
        department: 'R&D',
        company: 'Société Générale',
        telephoneNumber: '+33 1 23 45 67 89',
        mobile: '+33 6 00 00 00 00',
        streetAddress: '1 Rue de l’Été',
        l: 'Zürich',
        st: 'ZH',
        postalCode: '8001',
        c: 'CH',
        co: 'Switzerland',
        employeeID: 'E-0001',
        description: 'Ünïcödé',
      },
    });
    long = await createUser({ ou, sam: 'long', displayName: longDisplay, givenName: 'G'.repeat(64) });
    bare = await createUser({ ou, sam: 'bare' });
    disabled = await createUser({ ou, sam: 'off', displayName: 'Disabled User', enabled: false });
    group = await createGroup({
      ou,
      name: 'grp',
      extra: { description: 'Grüppe', mail: 'grp@example.test' },
    });
    await addMember(group.dn, unicode.dn, disabled.dn);
    // An RDN at AD's 64-character limit, in characters beyond Latin-1.
    longCn = `CN=${escapeRdn(`${'Ünïcødé-名前-'.repeat(6)}`.slice(0, 64))},${ou}`;
    await withAdmin((a) =>
      a.add(longCn, {
        objectClass: ['top', 'person', 'organizationalPerson', 'user'],
        sAMAccountName: uniqueName('lcn'),
        userAccountControl: '546',
      }),
    );
    contactDn = `CN=${escapeRdn('Контакт Ünïcode')},${ou}`;
    const c = await adminClient(env);
    try {
      await c.add(contactDn, {
        objectClass: ['top', 'person', 'organizationalPerson', 'contact'],
        displayName: 'Контакт Ünïcode',
        mail: 'contact@example.test',
        proxyAddresses: 'SMTP:contact@example.test',
      });
    } finally {
      await c.unbind();
    }
  });

  test('returns every user, group and contact of the OU with decoded values', async () => {
    const ad = await connect();
    try {
      const objects = await importAll(ad, ou);
      const byDn = new Map(objects.map((o) => [o.dn, o]));
      assert.equal(objects.length, 7);
      assert.deepEqual(objects.map((o) => o.kind).sort(), [
        'contact',
        'group',
        'user',
        'user',
        'user',
        'user',
        'user',
      ]);

      const u = byDn.get(unicode.dn);
      assert.ok(u);
      assert.equal(u.kind, 'user');
      assert.equal(first(u, 'displayName'), 'Zoë Ørsted 日本 🚀');
      assert.equal(first(u, 'givenName'), 'Zoë');
      assert.equal(first(u, 'sn'), 'Ørsted-Łukasiewicz');
      assert.equal(first(u, 'userPrincipalName'), unicode.upn);
      assert.equal(first(u, 'sAMAccountName'), unicode.sam);
      assert.deepEqual(u.text.proxyAddresses?.slice().sort(), [
        'SMTP:zoe@example.test',
        'smtp:zoe.orsted@example.test',
      ]);
      assert.equal(first(u, 'l'), 'Zürich');
      assert.equal(first(u, 'streetAddress'), '1 Rue de l’Été');
      assert.equal(first(u, 'title'), 'Ingénieure');
      assert.equal(first(u, 'employeeID'), 'E-0001');
      assert.equal(first(u, 'co'), 'Switzerland');
      assert.deepEqual(u.text.memberOf, [group.dn]);
      assert.equal(u.objectGuid.length, 16);
      assert.equal(guidToString(u.objectGuid), u.guid);
      const sid = u.binary.objectSid?.[0];
      assert.ok(sid);
      assert.equal(sidToString(sid), await readSid(unicode.dn));
      assert.equal(isDisabled(u), false);
      const pwdLastSet = fileTimeToDate(first(u, 'pwdLastSet'));
      assert.ok(pwdLastSet && Math.abs(pwdLastSet.getTime() - Date.now()) < 24 * 3600_000);
      assert.ok(generalizedTimeToDate(first(u, 'whenChanged')));
      assert.match(first(u, 'uSNChanged') ?? '', /^\d+$/);

      const l = byDn.get(long.dn);
      assert.equal(first(l ?? u, 'displayName'), longDisplay);
      assert.equal(first(l ?? u, 'givenName'), 'G'.repeat(64));

      const lc = byDn.get(longCn);
      assert.ok(lc, 'the 64-character CN is found under its exact DN');
      assert.equal(first(lc, 'cn')?.length, 64);

      const b = byDn.get(bare.dn);
      assert.ok(b);
      assert.equal(b.text.displayName, undefined);
      assert.equal(b.text.mail, undefined);
      assert.equal(b.binary['mS-DS-ConsistencyGuid'], undefined);
      assert.equal(fileTimeToDate(first(b, 'pwdLastSet')), undefined);

      const d = byDn.get(disabled.dn);
      assert.ok(d);
      assert.equal(isDisabled(d), true);

      const g = byDn.get(group.dn);
      assert.ok(g);
      assert.equal(g.kind, 'group');
      assert.deepEqual(g.text.member?.slice().sort(), [disabled.dn, unicode.dn].sort());
      assert.equal(first(g, 'groupType'), '-2147483646');
      assert.equal(first(g, 'description'), 'Grüppe');

      const c = byDn.get(contactDn);
      assert.ok(c);
      assert.equal(c.kind, 'contact');
      assert.equal(first(c, 'displayName'), 'Контакт Ünïcode');
      assert.equal(first(c, 'mail'), 'contact@example.test');
    } finally {
      await ad.close();
    }
  });

  test('binary attributes stay Buffers (ms-DS-ConsistencyGuid)', async () => {
    const anchor = Buffer.from('00ff80c3a9e2829c0001020304050607', 'hex');
    const u = await createUser({ ou, sam: 'anchor', extra: {} });
    const c = await adminClient(env);
    try {
      const { Attribute, Change } = await import('ldapts');
      await c.modify(
        u.dn,
        new Change({
          operation: 'replace',
          modification: new Attribute({ type: 'mS-DS-ConsistencyGuid', values: [anchor] }),
        }),
      );
    } finally {
      await c.unbind();
    }
    const ad = await connect();
    try {
      const objects = await importAll(ad, ou, 100);
      const found = objects.find((o) => o.dn === u.dn);
      assert.ok(found);
      assert.deepEqual(found.binary['mS-DS-ConsistencyGuid'], [anchor]);
    } finally {
      await ad.close();
    }
  });

  test('a 1,600-member group reads completely through member;range=', async () => {
    const bigOu = await createOu('big');
    const { group: bigDn, members } = await addBigGroup(bigOu, uniqueName('big'), 1600);
    const big = { dn: bigDn };
    const ad = await connect();
    try {
      const r0 = await readValueRange(ad, big.dn, 'member', 0, 1499);
      assert.equal(r0.low, 0);
      assert.equal(r0.high, 1499);
      assert.equal(r0.values.length, 1500);
      const r1 = await readValueRange(ad, big.dn, 'member', 1500);
      assert.equal(r1.low, 1500);
      assert.equal(r1.high, undefined);
      assert.equal(r1.values.length, 100);
      const all = await readAllValues(ad, big.dn, 'member', { rangeSize: 1500 });
      assert.equal(all.length, 1600);
      assert.deepEqual(new Set(all), new Set(members));
      const small = await readAllValues(ad, big.dn, 'member', { rangeSize: 700 });
      assert.deepEqual(small.slice().sort(), all.slice().sort());

      // The import asks for `member;range=0-1499` itself, so Samba takes Windows AD's path too.
      const imported = (await importAll(ad, bigOu, 500)).find((o) => o.kind === 'group');
      assert.equal(imported?.memberRanged, true);
      assert.deepEqual(new Set(imported?.text.member), new Set(members));

      // Windows AD answers a plain read with `member;range=0-1499`; the import then reads the rest.
      const obj = await toAdObject(
        ad,
        {
          dn: big.dn,
          objectClass: ['top', 'group'],
          objectGUID: Buffer.alloc(16, 7),
          'member;range=0-1499': r0.values,
        },
        { rangeSize: 1500 },
      );
      assert.equal(obj?.memberRanged, true);
      assert.deepEqual(new Set(obj?.text.member), new Set(members));
    } finally {
      await ad.close();
    }
  });
});
