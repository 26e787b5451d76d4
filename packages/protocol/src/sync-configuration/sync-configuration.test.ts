import assert from 'node:assert/strict';
import { test } from 'node:test';
import { protocolExamples } from '../examples.js';
import { scopeSchema } from './scope.js';
import { DEFAULT_DELETE_THRESHOLD, syncConfigurationSchema } from './sync-configuration.js';

test('the delete guard defaults to 500 when omitted', () => {
  const { deleteGuard: _, ...rest } = structuredClone(protocolExamples.configuration);
  const parsed = syncConfigurationSchema.parse(rest);
  assert.deepEqual(parsed.deleteGuard, { enabled: true, threshold: DEFAULT_DELETE_THRESHOLD });
});

test('scope kinds, and clauses needing a value', () => {
  assert.ok(scopeSchema.safeParse({ kind: 'domain' }).success);
  assert.equal(scopeSchema.safeParse({ kind: 'ous', ous: [] }).success, false);
  assert.ok(scopeSchema.safeParse({ kind: 'groups', groups: ['CN=Sync,OU=Groups,DC=corp,DC=test'] }).success);
  assert.ok(
    scopeSchema.safeParse({
      kind: 'domain',
      attributeFilters: [{ clauses: [{ attribute: 'mail', operator: 'IS_NOT_NULL' }] }],
    }).success,
  );
  assert.equal(
    scopeSchema.safeParse({
      kind: 'domain',
      attributeFilters: [{ clauses: [{ attribute: 'department', operator: 'EQUALS' }] }],
    }).success,
    false,
  );
});

test('a target mapped twice is refused', () => {
  const cfg = structuredClone(protocolExamples.configuration);
  const m = cfg.mappings.user[0];
  assert.ok(m);
  cfg.mappings.user.push({ ...m, target: 'DISPLAYNAME' });
  assert.equal(syncConfigurationSchema.safeParse(cfg).success, false);
});
