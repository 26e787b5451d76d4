import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SyncConfiguration } from '@cloudsync/protocol';
import { DEFAULT_MAPPINGS } from '../mapping/default-mappings.js';
import { createChangePlanner, type SourceEntry } from './change-planner.js';
import { deleteGuardVerdict } from './delete-guard.js';

const config: Pick<SyncConfiguration, 'domain' | 'scope' | 'mappings'> = {
  domain: { dnsName: 'corp.contoso.com', netbiosName: 'CORP', sid: 'S-1-5-21-1-2-3' },
  scope: {
    kind: 'ous',
    ous: ['OU=Staff,DC=corp,DC=contoso,DC=com'],
    attributeFilters: [
      { clauses: [{ attribute: 'extensionAttribute1', operator: 'NOT_EQUALS', value: 'nosync' }] },
    ],
  },
  mappings: DEFAULT_MAPPINGS,
};

const objectGUID = new Uint8Array(Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex'));
const entry = (extra: Partial<SourceEntry> = {}, attrs: Record<string, unknown> = {}): SourceEntry => ({
  objectType: 'user',
  distinguishedName: 'CN=Bobby,OU=Staff,DC=corp,DC=contoso,DC=com',
  attributes: {
    objectGUID,
    sAMAccountName: 'bobby',
    cn: 'Bobby',
    extensionAttribute1: 'yes',
    userAccountControl: '512',
    ...attrs,
  } as SourceEntry['attributes'],
  ...extra,
});

test('a new in-scope user becomes an upsert whose diff lists every valued attribute', () => {
  const planner = createChangePlanner(config);
  assert.deepEqual(planner.problems, []);
  const p = planner.plan(entry(), undefined);
  assert.equal(p.action, 'upsert');
  if (p.action !== 'upsert') return;
  assert.equal(p.change.anchor, 'AAECAwQFBgcICQoLDA0ODw==');
  assert.ok(p.diff.some((d) => d.attribute === 'userPrincipalName' && d.new === 'bobby@corp.contoso.com'));
  assert.ok(p.diff.every((d) => d.new !== null));
});

test('unchanged since the last export → unchanged; a changed attribute → upsert with that diff', () => {
  const planner = createChangePlanner(config);
  const first = planner.plan(entry(), undefined);
  assert.ok(first.action === 'upsert' && first.change.op === 'upsert');
  const previous = { attributes: first.change.op === 'upsert' ? first.change.attributes : {} };
  assert.equal(planner.plan(entry(), previous).action, 'unchanged');
  const full = planner.plan(entry(), previous, { fullImport: true });
  assert.ok(full.action === 'upsert' && full.diff.length === 0, 'a full import mentions unchanged objects');
  const changed = planner.plan(entry({}, { title: 'Engineer' }), previous);
  assert.ok(changed.action === 'upsert');
  assert.deepEqual(changed.action === 'upsert' ? changed.diff : [], [
    { attribute: 'jobTitle', old: null, new: 'Engineer' },
  ]);
});

test('leaving scope: out-of-scope when exported before, ignored otherwise', () => {
  const planner = createChangePlanner(config);
  const moved = entry({ distinguishedName: 'CN=Bobby,OU=Former,DC=corp,DC=contoso,DC=com' });
  assert.equal(planner.plan(moved, undefined).action, 'ignore');
  const p = planner.plan(moved, { attributes: { displayName: 'Bobby' } });
  assert.equal(p.action, 'out-of-scope');
  const filtered = planner.plan(entry({}, { extensionAttribute1: 'nosync' }), { attributes: {} });
  assert.ok(filtered.action === 'out-of-scope' && /filter/.test(filtered.reason));
});

test('deleted objects: a delete change only if exported before', () => {
  const planner = createChangePlanner(config);
  assert.equal(planner.plan(entry({ isDeleted: true }), undefined).action, 'ignore');
  const p = planner.plan(
    entry({ isDeleted: true, distinguishedName: 'CN=Bobby\\0ADEL:x,CN=Deleted Objects,DC=corp' }),
    {
      attributes: {},
    },
  );
  assert.ok(p.action === 'delete' && p.change.op === 'delete');
});

test('group members force an upsert and travel on the change', () => {
  const planner = createChangePlanner({ ...config, scope: { kind: 'domain' } });
  const group = entry(
    { objectType: 'group', members: { mode: 'incremental', add: ['EBESExQVFhcYGRobHB0eHw=='], remove: [] } },
    { groupType: '-2147483646' },
  );
  const first = planner.plan(group, undefined);
  assert.ok(first.action === 'upsert' && first.change.op === 'upsert');
  const previous = { attributes: first.change.op === 'upsert' ? first.change.attributes : {} };
  const again = planner.plan(group, previous);
  assert.ok(
    again.action === 'upsert' && again.change.op === 'upsert' && again.change.members?.mode === 'incremental',
  );
});

test('objects without a usable objectGUID or past protocol limits are errors, not throws', () => {
  const planner = createChangePlanner({ ...config, scope: { kind: 'domain' } });
  const noGuid = planner.plan({ ...entry(), attributes: { cn: 'x' } }, undefined);
  assert.ok(noGuid.action === 'error' && /objectGUID/.test(noGuid.message));
  const tooLong = planner.plan(entry({ distinguishedName: `CN=${'x'.repeat(5000)},DC=corp` }), undefined);
  assert.ok(tooLong.action === 'error' && tooLong.anchor === 'AAECAwQFBgcICQoLDA0ODw==');
});

test('source attributes to read include mappings, filters and anchors', () => {
  const reads = createChangePlanner(config).sourceAttributes.user.map((a) => a.toLowerCase());
  for (const a of [
    'objectguid',
    'ms-ds-consistencyguid',
    'useraccountcontrol',
    'extensionattribute1',
    'objectsid',
    'sn',
  ]) {
    assert.ok(reads.includes(a), a);
  }
  assert.equal(new Set(reads).size, reads.length, 'no duplicates');
  assert.equal(reads.includes('domainfqdn'), false, 'synthesized attributes are not read from AD');
});

test('delete guard holds above the threshold only when enabled', () => {
  assert.equal(deleteGuardVerdict(500, { enabled: true, threshold: 500 }), 'proceed');
  assert.equal(deleteGuardVerdict(501, { enabled: true, threshold: 500 }), 'hold');
  assert.equal(deleteGuardVerdict(10_000, { enabled: false, threshold: 500 }), 'proceed');
});
