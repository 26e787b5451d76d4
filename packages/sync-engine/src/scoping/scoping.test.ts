import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Scope, ScopingClause } from '@cloudsync/protocol';
import { compileClause } from './clause.js';
import { createScopeEvaluator, validateScope } from './scope-evaluator.js';

const bobby = { distinguishedName: 'CN=Bobby,OU=Staff,DC=corp,DC=test', attributes: { department: 'Sales' } };

test('domain scope takes everything with a well-formed DN', () => {
  const s = createScopeEvaluator({ kind: 'domain' });
  assert.deepEqual(s.decide(bobby), { inScope: true });
  assert.equal(s.decide({ ...bobby, distinguishedName: 'garbage' }).inScope, false);
});

test('OU scope: under any chosen OU, case-insensitively, nested OUs included', () => {
  const s = createScopeEvaluator({
    kind: 'ous',
    ous: ['ou=staff,dc=CORP,dc=test', 'OU=Contractors,DC=corp,DC=test'],
  });
  assert.equal(s.decide(bobby).inScope, true);
  assert.equal(
    s.decide({ ...bobby, distinguishedName: 'CN=X,OU=Deep,OU=Contractors,DC=corp,DC=test' }).inScope,
    true,
  );
  const out = s.decide({ ...bobby, distinguishedName: 'CN=X,OU=Admins,DC=corp,DC=test' });
  assert.deepEqual(out.inScope ? undefined : out.reason, 'outside-ous');
});

test('group scope: members (transitive list from the caller) and the group itself', () => {
  const s = createScopeEvaluator({ kind: 'groups', groups: ['CN=Sync Users,OU=Groups,DC=corp,DC=test'] });
  assert.equal(s.decide({ ...bobby, memberOf: ['cn=sync users,ou=groups,dc=corp,dc=test'] }).inScope, true);
  assert.equal(
    s.decide({ ...bobby, distinguishedName: 'CN=Sync Users,OU=Groups,DC=corp,DC=test' }).inScope,
    true,
  );
  const out = s.decide({ ...bobby, memberOf: ['CN=Other,DC=corp,DC=test', 'not a dn'] });
  assert.equal(out.inScope ? undefined : out.reason, 'not-in-groups');
  assert.equal(s.decide(bobby).inScope, false);
  assert.equal(s.decide({ ...bobby, memberOf: [] }).inScope, false);
});

test('attribute filters: clauses AND, filters OR', () => {
  const scope: Scope = {
    kind: 'domain',
    attributeFilters: [
      {
        clauses: [
          { attribute: 'department', operator: 'EQUALS', value: 'Sales' },
          { attribute: 'employeeID', operator: 'GREATER_THAN_OR_EQUALS', value: '1000000' },
        ],
      },
      { clauses: [{ attribute: 'extensionAttribute1', operator: 'EQUALS', value: 'sync' }] },
    ],
  };
  const s = createScopeEvaluator(scope);
  const decide = (attributes: Record<string, string>) => s.decide({ ...bobby, attributes }).inScope;
  assert.equal(decide({ department: 'Sales', employeeID: '1500000' }), true);
  assert.equal(decide({ department: 'Sales', employeeID: '999' }), false);
  assert.equal(decide({ department: 'Sales' }), false);
  assert.equal(decide({ extensionAttribute1: 'sync' }), true);
  assert.equal(decide({ EXTENSIONATTRIBUTE1: 'sync' }), true, 'attribute names are case-insensitive');
  assert.equal(decide({}), false);
});

test('every operator, including absent and empty attributes', () => {
  const t = (operator: ScopingClause['operator'], attrs: Record<string, string | string[]>, value?: string) =>
    compileClause({ attribute: 'a', operator, ...(value === undefined ? {} : { value }) })(attrs);
  assert.equal(t('EQUALS', { a: 'Sales' }, 'Sales'), true);
  assert.equal(t('EQUALS', { a: 'sales' }, 'Sales'), false, 'case-sensitive');
  assert.equal(t('NOT_EQUALS', { a: 'HR' }, 'Sales'), true);
  assert.equal(t('NOT_EQUALS', {}, 'Sales'), false, 'false on absent');
  assert.equal(t('IS_NULL', {}), true);
  assert.equal(t('IS_NULL', { a: '' }), true);
  assert.equal(t('IS_NULL', { a: [] }), true);
  assert.equal(t('IS_NOT_NULL', { a: 'x' }), true);
  assert.equal(t('IS_TRUE', { a: 'TRUE' }), true);
  assert.equal(t('IS_FALSE', { a: 'FALSE' }), true);
  assert.equal(t('IS_TRUE', {}), false);
  assert.equal(t('REGEX_MATCH', { a: 'bob@contoso.com' }, '.*@contoso\\.com$'), true);
  assert.equal(t('NOT_REGEX_MATCH', { a: 'bob@contoso.com' }, '.*@contoso\\.com$'), false);
  assert.equal(t('NOT_REGEX_MATCH', {}, 'x'), false, 'false on absent');
  assert.equal(t('GREATER_THAN', { a: '10' }, '9'), true);
  assert.equal(t('GREATER_THAN', { a: 'ten' }, '9'), false);
  assert.equal(t('GREATER_THAN_OR_EQUALS', { a: '9' }, '9'), true);
  assert.equal(t('INCLUDES', { a: 'Research & Development' }, '&'), true);
  assert.equal(t('ENDS_WITH', { a: 'bob@contoso.com' }, '@contoso.com'), true);
  assert.equal(
    t('EQUALS', { a: ['first', 'second'] }, 'first'),
    true,
    'first value of a multi-valued attribute',
  );
  assert.equal(t('EQUALS', { a: 'Ünïcødé' }, 'Ünïcødé'), true);
});

test('a bad pattern or DN in the scope is reported and never matches', () => {
  const scope: Scope = {
    kind: 'ous',
    ous: ['not a dn', 'OU=Staff,DC=corp,DC=test'],
    attributeFilters: [
      { clauses: [{ attribute: 'a', operator: 'REGEX_MATCH', value: '(' }] },
      { clauses: [{ attribute: 'a', operator: 'REGEX_MATCH', value: '^(a+)+$' }] },
    ],
  };
  const problems = validateScope(scope);
  assert.equal(problems.length, 3);
  assert.match(problems[2] ?? '', /nests quantifiers/);
  const s = createScopeEvaluator(scope);
  const out = s.decide({ ...bobby, attributes: { a: '(' } });
  assert.equal(out.inScope ? undefined : out.reason, 'attribute-filter');
});
