import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ODataError } from './errors.js';
import type { FilterNode } from './filter-ast.js';
import { parseFilter } from './filter-parser.js';

/** A compact rendering of the tree, so precedence is visible at a glance. */
function show(node: FilterNode): string {
  switch (node.kind) {
    case 'and':
    case 'or':
      return `(${node.operands.map(show).join(` ${node.kind} `)})`;
    case 'not':
      return `not ${show(node.operand)}`;
    case 'compare':
      return `${node.path.segments.join('/')} ${node.op} ${JSON.stringify('value' in node.value ? node.value.value : null)}`;
    case 'in':
      return `${node.path.segments.join('/')} in [${node.values.map((value) => ('value' in value ? value.value : null)).join(',')}]`;
    case 'function':
      return `${node.name}(${node.path.segments.join('/')},${JSON.stringify('value' in node.value ? node.value.value : null)})`;
    case 'lambda':
      return `${node.collection.segments.join('/')}/any(${node.variable ?? ''}${node.predicate ? `:${show(node.predicate)}` : ''})`;
  }
}

function syntaxError(filter: string, position: number) {
  return (error: unknown) => {
    assert.ok(error instanceof ODataError, String(error));
    assert.equal(error.code, 'BadRequest');
    assert.equal(error.statusCode, 400);
    assert.equal(error.details.position, position, error.message);
    assert.match(error.message, new RegExp(`position ${position} in`));
    assert.ok(error.message.includes(filter));
    return true;
  };
}

describe('parseFilter', () => {
  test('and binds tighter than or; both read left to right', () => {
    assert.equal(show(parseFilter('a eq 1 or b eq 2 and c eq 3')), '(a eq 1 or (b eq 2 and c eq 3))');
    assert.equal(show(parseFilter('a eq 1 and b eq 2 or c eq 3')), '((a eq 1 and b eq 2) or c eq 3)');
    assert.equal(show(parseFilter('(a eq 1 or b eq 2) and c eq 3')), '((a eq 1 or b eq 2) and c eq 3)');
    assert.equal(show(parseFilter('a eq 1 and b eq 2 and c eq 3')), '(a eq 1 and b eq 2 and c eq 3)');
  });

  test('not applies to one comparison or one parenthesised group', () => {
    assert.equal(show(parseFilter("not a eq 'x' and b eq 1")), '(not a eq "x" and b eq 1)');
    assert.equal(show(parseFilter("NOT (a eq 'x' or b eq 1)")), 'not (a eq "x" or b eq 1)');
    assert.equal(show(parseFilter('not not a eq 1')), 'not not a eq 1');
  });

  test('keywords and functions ignore case, as Graph does', () => {
    assert.equal(
      show(parseFilter("startsWith(displayName,'Ad') AND accountEnabled EQ TRUE Or x Ne null")),
      '((startswith(displayName,"Ad") and accountEnabled eq true) or x ne null)',
    );
  });

  test('string literals double a quote to escape it and keep everything else as written', () => {
    assert.equal(show(parseFilter("name eq 'O''Brien'")), 'name eq "O\'Brien"');
    assert.equal(show(parseFilter("name eq ''''")), `name eq "'"`);
    assert.equal(show(parseFilter("name eq ''")), 'name eq ""');
    assert.equal(show(parseFilter("name eq 'a\\b%_ (and) or'")), 'name eq "a\\\\b%_ (and) or"');
  });

  test('literals: numbers, GUIDs (lower-cased), datetimes (normalised to UTC), booleans, null', () => {
    assert.equal(show(parseFilter('n ge -12.5e1')), 'n ge -125');
    assert.equal(
      show(parseFilter('id eq ABCDEF01-2345-4678-9ABC-DEF012345678')),
      'id eq "abcdef01-2345-4678-9abc-def012345678"',
    );
    assert.equal(show(parseFilter('t lt 2024-01-01T10:00:00+02:00')), 't lt "2024-01-01T08:00:00.000Z"');
    assert.equal(show(parseFilter('t lt 2024-02-29')), 't lt "2024-02-29T00:00:00.000Z"');
    assert.equal(show(parseFilter('t lt 2024-01-01T10:00:00.1234567Z')), 't lt "2024-01-01T10:00:00.123Z"');
    assert.equal(show(parseFilter('b eq false or c eq null')), '(b eq false or c eq null)');
  });

  test('in lists, string functions and lambdas', () => {
    assert.equal(show(parseFilter("dept in ('a', 'b','c')")), 'dept in [a,b,c]');
    assert.equal(show(parseFilter("endswith(mail,'@contoso.com')")), 'endswith(mail,"@contoso.com")');
    assert.equal(
      show(parseFilter('assignedLicenses/any(x:x/skuId eq 6fd2c87f-b296-42f0-b197-1e91e994b900)')),
      'assignedLicenses/any(x:x/skuId eq "6fd2c87f-b296-42f0-b197-1e91e994b900")',
    );
    assert.equal(show(parseFilter('assignedLicenses/any()')), 'assignedLicenses/any()');
    assert.equal(
      show(parseFilter("proxyAddresses/any(p:startswith(p,'smtp:') and p ne 'x')")),
      'proxyAddresses/any(p:(startswith(p,"smtp:") and p ne "x"))',
    );
  });

  test('syntax errors name the 1-based position of the offending token', () => {
    const cases: [string, number][] = [
      ['a eq', 5],
      ["a eq 'x", 6],
      ['a eq 1 and', 11],
      ['a eq 1)', 7],
      ['(a eq 1', 8],
      ['a equals 1', 3],
      ['a eq 1 , b eq 2', 8],
      ['a eq #', 6],
      ['a in ()', 7],
      ['a eq b', 6],
      ['startswith(a)', 13],
      ['frobnicate(a,1)', 1],
      ['a eq 2024-13-01', 6],
      ['a eq 2024-02-30T00:00:00Z', 6],
      ['a eq 0000-01-01T00:00:00Z', 6],
      ['a eq 0001-01-01T00:30:00+01:00', 6],
      ['a eq 9999-12-31T23:30:00-01:00', 6],
      ['a/all(x:x eq 1)', 6],
      ['x/any(y y eq 1)', 9],
      ['  ', 1],
    ];
    for (const [filter, position] of cases)
      assert.throws(() => parseFilter(filter), syntaxError(filter, position));
  });

  test('functions Graph does not support on directory objects are Request_UnsupportedQuery', () => {
    assert.throws(
      () => parseFilter("contains(displayName,'a')"),
      (error: unknown) => error instanceof ODataError && error.code === 'Request_UnsupportedQuery',
    );
  });

  test('limits: length, nesting, number of conditions and in-list size', () => {
    const deep = `${'('.repeat(17)}a eq 1${')'.repeat(17)}`;
    assert.throws(() => parseFilter(deep), /nesting deeper than 16/);
    assert.doesNotThrow(() => parseFilter(`${'('.repeat(16)}a eq 1${')'.repeat(16)}`));
    assert.throws(() => parseFilter(`${'not '.repeat(40)}a eq 1`), /nesting deeper/);
    assert.throws(() => parseFilter(Array.from({ length: 65 }, () => 'a eq 1').join(' or ')), /more than 64/);
    assert.throws(
      () => parseFilter(`a in (${Array.from({ length: 101 }, () => '1').join(',')})`),
      /at most 100/,
    );
    assert.throws(() => parseFilter(`a eq '${'x'.repeat(5000)}'`), /longer than 4096/);
    assert.throws(() => parseFilter("a eq 'x\u0000y'"), /may not contain NUL/);
    assert.throws(() => parseFilter('a eq 1 or a eq 2', { maxTerms: 1 }), /more than 1 conditions/);
  });

  test('a megabyte of parentheses is refused instead of blowing the stack', { timeout: 30_000 }, () => {
    assert.throws(
      () => parseFilter('('.repeat(1_000_000), { maxLength: 2_000_000 }),
      /nesting deeper than 16/,
    );
    assert.throws(() => parseFilter(`${'not '.repeat(250_000)}a eq 1`, { maxLength: 2_000_000 }), /nesting/);
  });
});

describe('parseFilter fuzz', () => {
  /** Seeded, so a failure reproduces. */
  function random(seed: number): () => number {
    let state = seed;
    return () => {
      state = (state * 1103515245 + 12345) & 0x7fffffff;
      return state / 0x7fffffff;
    };
  }
  const PIECES = [
    'a',
    'eq',
    'ne',
    'gt',
    'and',
    'or',
    'not',
    'in',
    '(',
    ')',
    ',',
    "'",
    "''",
    "'x'",
    '/',
    ':',
    'any',
    'x/y',
    'startswith',
    'endswith',
    '1',
    '-2.5',
    'true',
    'null',
    '2024-01-01T00:00:00Z',
    '6fd2c87f-b296-42f0-b197-1e91e994b900',
    ' ',
    '  ',
    '%',
    '\\',
    '\u0000',
    'é',
    '😀',
    '1e999',
    '2024-99-99',
    '--',
    ';',
    'select',
  ];

  // The timeouts are generous bounds for a loaded CI machine; a hang or blow-up fails them by far.
  test('random token soups only ever throw ODataError, and never hang', { timeout: 60_000 }, () => {
    const next = random(42);
    for (let round = 0; round < 20_000; round += 1) {
      const length = Math.floor(next() * 24);
      const text = Array.from({ length }, () => PIECES[Math.floor(next() * PIECES.length)]).join(
        next() < 0.5 ? ' ' : '',
      );
      try {
        parseFilter(text);
      } catch (error) {
        if (!(error instanceof ODataError)) assert.fail(`${JSON.stringify(text)} threw ${String(error)}`);
        assert.equal(error.statusCode, 400);
      }
    }
  });

  test('random characters only ever throw ODataError', { timeout: 60_000 }, () => {
    const next = random(7);
    for (let round = 0; round < 20_000; round += 1) {
      const length = Math.floor(next() * 40);
      const text = Array.from({ length }, () => String.fromCharCode(Math.floor(next() * 128))).join('');
      try {
        parseFilter(text);
      } catch (error) {
        if (!(error instanceof ODataError)) assert.fail(`${JSON.stringify(text)} threw ${String(error)}`);
      }
    }
  });
});
