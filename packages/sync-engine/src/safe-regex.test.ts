import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileAdminRegex } from './safe-regex.js';

test('ordinary patterns compile, including the documented scoping examples', () => {
  for (const p of [
    '.*\\@domain.com',
    '(1[0-9][0-9][0-9][0-9][0-9][0-9])',
    '([1-9][0-9])',
    '^[A-Z]{2,3}-\\d+$',
    '(?<Suffix>@(.)*)',
    '[()\\s-]+',
  ]) {
    assert.ok(compileAdminRegex(p) instanceof RegExp, p);
  }
});

test('nested quantifiers and invalid patterns are refused', () => {
  for (const p of ['(a+)+$', '(\\w*x?)*', '((ab)*)+', '(x+x+)+y', '(?:a{1,})*', '(a[bc]+){2,}']) {
    assert.throws(() => compileAdminRegex(p), /nests quantifiers/, p);
  }
  assert.throws(() => compileAdminRegex('('), SyntaxError);
});
