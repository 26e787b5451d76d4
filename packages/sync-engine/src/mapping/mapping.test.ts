import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type AttributeMapping, attributeMappingsSchema, upsertChangeSchema } from '@cloudsync/protocol';
import { sidStringToBytes } from '../ad-values/sid.js';
import { anchorOf } from '../anchors.js';
import type { SourceAttributes } from '../source-object.js';
import { withSynthesizedAttributes } from '../synthesized-attributes.js';
import { DEFAULT_MAPPINGS } from './default-mappings.js';
import { createObjectMapper } from './map-object.js';
import { preview, previewMappings } from './preview.js';
import { TARGET_SCHEMA } from './target-schema.js';

const domain = { dnsName: 'corp.contoso.com', netbiosName: 'CORP' };
const objectGUID = new Uint8Array(Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex'));

function adUser(extra: Record<string, unknown> = {}): SourceAttributes {
  return withSynthesizedAttributes(
    {
      objectGUID,
      objectSid: sidStringToBytes('S-1-5-21-1004336348-1177238915-682003330-1105'),
      distinguishedName: 'CN=Bobby Tables,OU=Staff,DC=corp,DC=contoso,DC=com',
      cn: 'Bobby Tables',
      sAMAccountName: 'bobby',
      userPrincipalName: 'bobby@contoso.com',
      givenName: 'Bobby',
      sn: 'Tables',
      displayName: 'Bobby Tables',
      userAccountControl: '512',
      telephoneNumber: '+1 555 0100',
      l: 'Seattle',
      proxyAddresses: ['SMTP:bobby@contoso.com', 'smtp:bt@contoso.com'],
      ...extra,
    } as SourceAttributes,
    domain,
  );
}

test('default mappings are valid configuration and target known attributes', () => {
  assert.ok(attributeMappingsSchema.safeParse(DEFAULT_MAPPINGS).success);
  for (const [type, mappings] of Object.entries(DEFAULT_MAPPINGS) as [
    keyof typeof TARGET_SCHEMA,
    AttributeMapping[],
  ][]) {
    for (const m of mappings)
      assert.ok(TARGET_SCHEMA[type][m.target], `${type}.${m.target} is in TARGET_SCHEMA`);
    assert.deepEqual(createObjectMapper(type, mappings).problems, [], type);
  }
});

test('a typical AD user maps to the Graph attributes Cloud Sync produces', () => {
  const mapped = createObjectMapper('user', DEFAULT_MAPPINGS.user).map(adUser());
  assert.deepEqual(mapped.problems, []);
  assert.deepEqual(mapped.creationOnlyAttributes, {});
  const a = mapped.attributes;
  assert.equal(a.accountEnabled, true);
  assert.equal(a.displayName, 'Bobby Tables');
  assert.equal(a.surname, 'Tables');
  assert.equal(a.city, 'Seattle');
  assert.deepEqual(a.businessPhones, ['+1 555 0100']);
  assert.deepEqual(a.proxyAddresses, ['SMTP:bobby@contoso.com', 'smtp:bt@contoso.com']);
  assert.equal(a.mailNickname, 'bobby');
  assert.equal(a.userPrincipalName, 'bobby@contoso.com');
  assert.equal(a.onPremisesSamAccountName, 'bobby');
  assert.equal(a.onPremisesDomainName, 'corp.contoso.com');
  assert.equal(a.onPremisesNetBiosName, 'CORP');
  assert.equal(a.onPremisesSecurityIdentifier, 'S-1-5-21-1004336348-1177238915-682003330-1105');
  assert.equal(a.onPremisesImmutableId, 'AAECAwQFBgcICQoLDA0ODw==');
  assert.equal(a.onPremisesDistinguishedName, 'CN=Bobby Tables,OU=Staff,DC=corp,DC=contoso,DC=com');
  assert.equal(a.jobTitle, null);
  assert.equal(a.mail, null);
  const { anchor, objectGuid } = anchorOf(adUser());
  const change = {
    op: 'upsert',
    objectType: 'user',
    anchor,
    objectGuid,
    distinguishedName: 'CN=x,DC=y',
    attributes: a,
  };
  assert.ok(upsertChangeSchema.safeParse(change).success, 'the mapped user fits the wire contract');
});

test('disabled users, missing UPN, missing displayName', () => {
  const mapper = createObjectMapper('user', DEFAULT_MAPPINGS.user);
  const a = mapper.map(
    adUser({ userAccountControl: '514', userPrincipalName: null, displayName: undefined }),
  ).attributes;
  assert.equal(a.accountEnabled, false);
  assert.equal(a.userPrincipalName, 'bobby@corp.contoso.com');
  assert.equal(a.onPremisesUserPrincipalName, null);
  assert.equal(a.displayName, 'Bobby Tables');
});

test('a malformed userAccountControl or SID is a problem for that attribute only', () => {
  const mapped = createObjectMapper('user', DEFAULT_MAPPINGS.user).map(
    adUser({ userAccountControl: 'banana', objectSid: new Uint8Array(3) }),
  );
  assert.deepEqual(mapped.problems.map((p) => p.target).sort(), [
    'accountEnabled',
    'onPremisesSecurityIdentifier',
  ]);
  assert.equal('accountEnabled' in mapped.attributes, false);
  assert.equal(mapped.attributes.displayName, 'Bobby Tables');
});

test('Unicode and 1,000-character names pass through intact', () => {
  const long = 'Ž'.repeat(1000);
  const a = createObjectMapper('user', DEFAULT_MAPPINGS.user).map(
    adUser({ displayName: long, givenName: 'Zoë 🚀', sn: '山田' }),
  ).attributes;
  assert.equal(a.displayName, long);
  assert.equal(a.givenName, 'Zoë 🚀');
  assert.equal(a.surname, '山田');
});

test('empty arrays and empty strings become null', () => {
  const a = createObjectMapper('user', DEFAULT_MAPPINGS.user).map(
    adUser({ proxyAddresses: [], department: '' }),
  ).attributes;
  assert.equal(a.proxyAddresses, null);
  assert.equal(a.department, null);
});

test('groups: security and distribution from groupType, mailEnabled from mail', () => {
  const mapper = createObjectMapper('group', DEFAULT_MAPPINGS.group);
  const base = {
    objectGUID,
    cn: 'Staff',
    sAMAccountName: 'Staff',
    distinguishedName: 'CN=Staff,DC=corp,DC=test',
  };
  const security = mapper.map(
    withSynthesizedAttributes({ ...base, groupType: '-2147483646' }, domain),
  ).attributes;
  assert.equal(security.securityEnabled, true);
  assert.equal(security.mailEnabled, false);
  assert.equal(security.displayName, 'Staff');
  const distribution = mapper.map(
    withSynthesizedAttributes({ ...base, groupType: '8', mail: 'all@contoso.com' }, domain),
  ).attributes;
  assert.equal(distribution.securityEnabled, false);
  assert.equal(distribution.mailEnabled, true);
  assert.equal(distribution.mailNickname, 'Staff');
});

test('contacts map person attributes and a nickname from cn', () => {
  const c = createObjectMapper('contact', DEFAULT_MAPPINGS.contact).map(
    withSynthesizedAttributes(
      { objectGUID, cn: 'Ext Vendor', mail: 'v@fabrikam.com', distinguishedName: 'CN=Ext Vendor,DC=x' },
      domain,
    ),
  ).attributes;
  assert.equal(c.displayName, 'Ext Vendor');
  assert.equal(c.mailNickname, 'Ext Vendor');
  assert.equal(c.mail, 'v@fabrikam.com');
});

test('objectCreationOnly and default values go to creationOnlyAttributes', () => {
  const mapper = createObjectMapper('user', [
    { target: 'usageLocation', source: { kind: 'constant', value: 'US' }, applyWhen: 'objectCreationOnly' },
    {
      target: 'department',
      source: { kind: 'attribute', name: 'department' },
      applyWhen: 'always',
      defaultValue: 'Unknown',
    },
    {
      target: 'jobTitle',
      source: { kind: 'attribute', name: 'title' },
      applyWhen: 'always',
      defaultValue: 'Staff',
    },
  ]);
  const m = mapper.map({ title: 'Engineer' });
  assert.deepEqual(m.attributes, { department: null, jobTitle: 'Engineer' });
  assert.deepEqual(m.creationOnlyAttributes, { usageLocation: 'US', department: 'Unknown' });
});

test('a mapping whose expression does not parse is reported once and skipped', () => {
  const mapper = createObjectMapper('user', [
    {
      target: 'displayName',
      source: { kind: 'expression', expression: 'Join(" ", [givenName]' },
      applyWhen: 'always',
    },
    { target: 'givenName', source: { kind: 'attribute', name: 'givenName' }, applyWhen: 'always' },
  ]);
  assert.equal(mapper.problems.length, 1);
  assert.equal(mapper.problems[0]?.position, 21);
  assert.deepEqual(mapper.map({ givenName: 'A' }).attributes, { givenName: 'A' });
  assert.deepEqual(mapper.sourceAttributes, ['givenname']);
});

test('IgnoreFlowIfNullOrEmpty leaves the attribute out entirely', () => {
  const mapper = createObjectMapper('user', [
    {
      target: 'department',
      source: { kind: 'expression', expression: 'IgnoreFlowIfNullOrEmpty([department])' },
      applyWhen: 'always',
    },
  ]);
  assert.deepEqual(mapper.map({}).attributes, {});
  assert.deepEqual(mapper.map({ department: 'Ops' }).attributes, { department: 'Ops' });
});

test('a value with NUL is a problem, not sent', () => {
  const mapper = createObjectMapper('user', [
    { target: 'department', source: { kind: 'attribute', name: 'department' }, applyWhen: 'always' },
  ]);
  const m = mapper.map({ department: 'R\u0000D' });
  assert.deepEqual(m.attributes, {});
  assert.match(m.problems[0]?.message ?? '', /NUL/);
});

test('a boolean target refuses a value that is not a boolean', () => {
  const mapper = createObjectMapper('user', [
    { target: 'accountEnabled', source: { kind: 'attribute', name: 'x' }, applyWhen: 'always' },
  ]);
  assert.equal(mapper.map({ x: 'TRUE' }).attributes.accountEnabled, true);
  assert.match(mapper.map({ x: 'maybe' }).problems[0]?.message ?? '', /expected True or False/);
});

test('preview shows value, creation value, inputs and positioned errors', () => {
  const ok = preview(
    {
      target: 'displayName',
      source: { kind: 'expression', expression: 'Join(" ", [givenName], [sn])' },
      applyWhen: 'always',
    },
    { givenName: 'Bobby', sn: 'Tables', objectGUID },
  );
  assert.deepEqual(ok, {
    ok: true,
    target: 'displayName',
    value: 'Bobby Tables',
    valueOnCreation: 'Bobby Tables',
    ignored: false,
    inputs: { givenName: 'Bobby', sn: 'Tables' },
  });
  const withDefault = preview(
    {
      target: 'department',
      source: { kind: 'attribute', name: 'department' },
      applyWhen: 'always',
      defaultValue: 'None',
    },
    {},
  );
  assert.ok(withDefault.ok && withDefault.value === null && withDefault.valueOnCreation === 'None');
  const bad = preview(
    {
      target: 'displayName',
      source: { kind: 'expression', expression: 'Lefty([givenName], 2)' },
      applyWhen: 'always',
    },
    {},
  );
  assert.equal(bad.ok, false);
  assert.ok(
    !bad.ok && bad.position === 0 && /unknown function Lefty/.test(bad.message) && bad.pointer?.endsWith('^'),
  );
  const evalError = preview(
    { target: 'x', source: { kind: 'expression', expression: 'Mid([a], 0, 1)' }, applyWhen: 'always' },
    { a: 'abc' },
  );
  assert.ok(!evalError.ok && evalError.position === 9);
});

test('previewMappings runs every default user mapping on a sample', () => {
  const results = previewMappings('user', DEFAULT_MAPPINGS.user, adUser({ userAccountControl: 'oops' }));
  assert.equal(results.length, DEFAULT_MAPPINGS.user.length);
  const failed = results.filter((r) => !r.ok).map((r) => r.target);
  assert.deepEqual(failed, ['accountEnabled']);
});

test('odd values in any attribute never throw and always fit the wire contract (fuzz)', () => {
  const odd: unknown[] = [
    '',
    ' ',
    'x'.repeat(1000),
    '🚀Zoë\u0000\u200b',
    '-2147483648',
    '4294967296',
    'True',
    0,
    -1,
    true,
    new Uint8Array(0),
    new Uint8Array(16),
    new Uint8Array(3),
    [],
    ['a', 'b'],
    [new Uint8Array(2), 'mixed'],
    null,
    undefined,
  ];
  const names = [
    ...new Set(
      Object.values(DEFAULT_MAPPINGS).flatMap((ms) =>
        ms.flatMap((m) => (m.source.kind === 'attribute' ? [m.source.name] : [])),
      ),
    ),
  ];
  names.push('userAccountControl', 'groupType', 'objectSid', 'cn', 'sAMAccountName', 'mailNickname');
  let seed = 7;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  for (const type of ['user', 'group', 'contact'] as const) {
    const mapper = createObjectMapper(type, DEFAULT_MAPPINGS[type]);
    for (let i = 0; i < 300; i++) {
      const attrs: Record<string, unknown> = { objectGUID };
      for (const n of names) if (rand(2)) attrs[n] = odd[rand(odd.length)];
      const mapped = mapper.map(withSynthesizedAttributes(attrs as SourceAttributes, domain));
      const change = {
        op: 'upsert',
        objectType: type,
        anchor: 'AAECAwQFBgcICQoLDA0ODw==',
        objectGuid: '03020100-0504-0706-0809-0a0b0c0d0e0f',
        distinguishedName: 'CN=x,DC=y',
        attributes: mapped.attributes,
        creationOnlyAttributes: mapped.creationOnlyAttributes,
      };
      const parsed = upsertChangeSchema.safeParse(change);
      assert.ok(parsed.success, JSON.stringify(parsed.error?.issues[0]));
    }
  }
});
