import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BoundFilter } from './bound-filter.js';
import { ODataError } from './errors.js';
import { DEFAULT_FILTER_LIMITS } from './filter-parser.js';
import { parseSearch } from './search.js';
import { USER_PROPERTIES } from './testing/user-fixture.js';

function show(node: BoundFilter): string {
  if (node.kind === 'and' || node.kind === 'or') return `(${node.operands.map(show).join(` ${node.kind} `)})`;
  if (node.kind === 'search') return `${node.target.property}${node.words ? '~' : '^'}${node.term}`;
  return node.kind;
}

const search = (text: string) => show(parseSearch(text, USER_PROPERTIES, DEFAULT_FILTER_LIMITS));

function refused(text: string, code: string, message: RegExp) {
  assert.throws(
    () => parseSearch(text, USER_PROPERTIES, DEFAULT_FILTER_LIMITS),
    (error: unknown) => error instanceof ODataError && error.code === code && message.test(error.message),
    text,
  );
}

test('clauses name a searchable property; AND binds tighter than OR', () => {
  assert.equal(search('"displayName:adele"'), 'displayName~adele');
  assert.equal(
    search('"DisplayName:a b" OR "userPrincipalName:x"'),
    '(displayName~a b or userPrincipalName^x)',
  );
  assert.equal(
    search('"displayName:a" OR "mail:b" and "displayName:c"'),
    '(displayName~a or (mail~b and displayName~c))',
  );
  assert.equal(search('"displayName:O\'Brien%"'), "displayName~O'Brien%");
});

test('malformed searches name the position', () => {
  refused('adele', 'BadRequest', /position 1 in 'adele'/);
  refused('"adele"', 'BadRequest', /position 1 .*property:term/);
  refused('"displayName:a" "mail:b"', 'BadRequest', /position 17 .*expected AND or OR/);
  refused('"displayName:a" OR', 'BadRequest', /position 19 .*expected a quoted/);
  refused('OR "displayName:a"', 'BadRequest', /position 1 /);
  refused('"displayName:a', 'BadRequest', /position 1 /);
  refused('"displayName:  "', 'BadRequest', /empty/);
});

test('properties must exist and be searchable', () => {
  refused('"nickname:a"', 'BadRequest', /property named 'nickname'/);
  refused('"department:a"', 'Request_UnsupportedQuery', /'department'/);
});
