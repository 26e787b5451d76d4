import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ODataError } from './errors.js';
import { parseQueryOptions } from './query-options.js';
import { USER_PROPERTIES } from './testing/user-fixture.js';

function rejects(query: Record<string, unknown>, code: string, message: RegExp) {
  assert.throws(
    () => parseQueryOptions(query, USER_PROPERTIES),
    (error: unknown) => {
      assert.ok(error instanceof ODataError, String(error));
      assert.equal(error.statusCode, 400);
      assert.equal(error.code, code, error.message);
      assert.match(error.message, message);
      return true;
    },
    JSON.stringify(query),
  );
}

describe('parseQueryOptions', () => {
  test('defaults: Graph page size 100, no count, no select, no order', () => {
    const options = parseQueryOptions({ tenant: 'ignored' }, USER_PROPERTIES);
    assert.equal(options.top, 100);
    assert.equal(options.count, false);
    assert.equal(options.select, undefined);
    assert.equal(options.filter, undefined);
    assert.deepEqual(options.orderBy, []);
  });

  test('reads every supported option, ignoring the case of option and property names', () => {
    const options = parseQueryOptions(
      {
        $FILTER: "USERPRINCIPALNAME eq 'a@b.c'",
        $orderBy: 'DisplayName desc, createdDateTime',
        $top: '999',
        $count: 'TRUE',
        $select: 'id,displayname, id ,mail',
        $skiptoken: 'abc.def',
      },
      USER_PROPERTIES,
    );
    assert.equal(options.top, 999);
    assert.equal(options.count, true);
    assert.deepEqual(options.select, ['id', 'displayName', 'mail']);
    assert.equal(options.skipToken, 'abc.def');
    assert.deepEqual(
      options.orderBy.map((key) => [key.property, key.direction, key.caseInsensitive]),
      [
        ['displayName', 'desc', true],
        ['createdDateTime', 'asc', false],
      ],
    );
    assert.deepEqual(options.filter, {
      kind: 'compare',
      op: 'eq',
      target: { property: 'userPrincipalName', column: 'users.upn', type: 'string', caseInsensitive: true },
      value: 'a@b.c',
    });
  });

  test('$search is bound like $filter and kept apart from it', () => {
    const options = parseQueryOptions(
      { $search: '"displayName:ad"', $filter: 'accountEnabled eq true' },
      USER_PROPERTIES,
    );
    assert.equal(options.searchText, '"displayName:ad"');
    assert.equal(options.search?.kind, 'search');
    assert.equal(options.filter?.kind, 'compare');
  });

  test('properties of complex types are mapped under their whole path', () => {
    const options = parseQueryOptions({ $filter: "EmployeeOrgData/Division eq 'Sales'" }, USER_PROPERTIES);
    assert.equal(
      options.filter?.kind === 'compare' && options.filter.target.property,
      'employeeOrgData/division',
    );
    assert.equal(options.filter?.kind === 'compare' && options.filter.target.column, 'users.department');
  });

  test('$top must be 1 to 999', () => {
    for (const top of ['0', '1000', '-1', '1.5', 'ten', '', '1e2']) {
      rejects(
        { $top: top },
        'BadRequest',
        /Invalid page size specified: .* Must be between 1 and 999 inclusive/,
      );
    }
    assert.equal(parseQueryOptions({ $top: '1' }, USER_PROPERTIES).top, 1);
  });

  test('$count must be true or false', () => {
    rejects({ $count: 'yes' }, 'BadRequest', /\$count/);
    assert.equal(parseQueryOptions({ $count: 'false' }, USER_PROPERTIES).count, false);
  });

  test('unknown options, unsupported options and repeated options are refused', () => {
    rejects({ $frobnicate: '1' }, 'BadRequest', /Unrecognized query option '\$frobnicate'/);
    rejects({ $expand: 'manager' }, 'Request_UnsupportedQuery', /'\$expand' is not supported/);
    rejects({ $skip: '10' }, 'Request_UnsupportedQuery', /'\$skip' is not supported/);
    rejects({ $filter: ['a eq 1', 'b eq 2'] }, 'BadRequest', /specified more than once/);
    rejects({ $top: '5', $TOP: '6' }, 'BadRequest', /specified more than once/);
    rejects({ $top: 5 }, 'BadRequest', /must be text/);
  });

  test('unknown properties are BadRequest naming the property and the type', () => {
    rejects(
      { $filter: "nickname eq 'x'" },
      'BadRequest',
      /property named 'nickname' on type 'microsoft.graph.user'/,
    );
    rejects({ $select: 'id,nickname' }, 'BadRequest', /'nickname'/);
    rejects({ $orderby: 'nickname' }, 'BadRequest', /'nickname'/);
    rejects(
      { $filter: 'assignedLicenses/any(x:x/planId eq 1)' },
      'BadRequest',
      /'planId' on the elements of 'assignedLicenses'/,
    );
  });

  test('known properties used in ways they do not support are Request_UnsupportedQuery', () => {
    const unsupported =
      /Unsupported or invalid query (filter|sort) clause specified for property '([\w/]+)' of resource 'User'/;
    rejects({ $filter: "jobTitle eq 'x'" }, 'Request_UnsupportedQuery', unsupported);
    rejects({ $orderby: 'jobTitle' }, 'Request_UnsupportedQuery', /sort clause .* 'jobTitle'/);
    rejects({ $orderby: 'assignedLicenses' }, 'Request_UnsupportedQuery', /'assignedLicenses'/);
    rejects({ $filter: "displayName gt 'a'" }, 'Request_UnsupportedQuery', /'displayName'/);
    rejects({ $filter: 'startswith(signInCount,1)' }, 'Request_UnsupportedQuery', /'signInCount'/);
    rejects({ $filter: "assignedLicenses eq 'x'" }, 'Request_UnsupportedQuery', /'assignedLicenses'/);
    rejects({ $filter: "displayName/any(x:x eq 'a')" }, 'Request_UnsupportedQuery', /'displayName'/);
    rejects({ $filter: "manager/displayName eq 'a'" }, 'Request_UnsupportedQuery', /'manager\/displayName'/);
    rejects(
      { $filter: "employeeOrgData/costCenter eq 'a'" },
      'Request_UnsupportedQuery',
      /'employeeOrgData\/costCenter'/,
    );
    rejects(
      { $filter: "assignedLicenses/any(x:proxyAddresses/any(p:p eq 'a'))" },
      'Request_UnsupportedQuery',
      /'proxyAddresses'/,
    );
    rejects({ $filter: 'assignedLicenses/any(x:x eq 1)' }, 'Request_UnsupportedQuery', /'assignedLicenses'/);
  });

  test('literals must fit the property type', () => {
    rejects(
      { $filter: 'displayName eq 1' },
      'BadRequest',
      /property 'displayName' \(expected a string, found a number\)/,
    );
    rejects({ $filter: "accountEnabled eq 'true'" }, 'BadRequest', /'accountEnabled'/);
    rejects({ $filter: "createdDateTime ge '2024-01-01'" }, 'BadRequest', /'createdDateTime'/);
    rejects({ $filter: "id eq 'not-a-guid'" }, 'BadRequest', /'id'/);
    rejects({ $filter: 'signInCount gt null' }, 'BadRequest', /null needs eq or ne/);
    rejects({ $filter: 'level eq 1.5' }, 'BadRequest', /'level' \(expected a whole number/);
    rejects({ $filter: 'level lt 1e300' }, 'BadRequest', /whole number/);
    rejects({ $filter: "department in ('a', null)" }, 'BadRequest', /null is only allowed/);
    rejects({ $filter: 'startswith(displayName,null)' }, 'BadRequest', /'displayName'/);
  });

  test('$orderby: direction, duplicates and the number of keys', () => {
    rejects(
      { $orderby: 'displayName sideways' },
      'BadRequest',
      /Invalid \$orderby clause 'displayName sideways'/,
    );
    rejects({ $orderby: 'displayName,displayName desc' }, 'BadRequest', /more than once/);
    rejects({ $orderby: 'id,displayName,mail,department' }, 'BadRequest', /At most 3/);
    rejects({ $orderby: '' }, 'BadRequest', /Invalid \$orderby/);
  });

  test('$select refuses empty names', () => {
    rejects({ $select: 'id,,mail' }, 'BadRequest', /empty property name/);
    rejects({ $select: 'employeeOrgData/division' }, 'BadRequest', /select the whole of 'employeeOrgData'/);
  });

  test('fuzz: any $ option values throw only ODataError', () => {
    const pieces = [
      'id',
      'displayName',
      'jobTitle',
      'x',
      ',',
      ' ',
      'asc',
      'desc',
      "'",
      'eq',
      '1',
      '(',
      ')',
      'any',
      '/',
      ':',
    ];
    let state = 99;
    const next = () => {
      state = (state * 1103515245 + 12345) & 0x7fffffff;
      return state / 0x7fffffff;
    };
    for (let round = 0; round < 5000; round += 1) {
      const text = Array.from(
        { length: Math.floor(next() * 10) },
        () => pieces[Math.floor(next() * pieces.length)],
      ).join(next() < 0.5 ? ' ' : '');
      const option = ['$filter', '$orderby', '$select', '$top', '$count'][round % 5] ?? '$filter';
      try {
        parseQueryOptions({ [option]: text }, USER_PROPERTIES);
      } catch (error) {
        if (!(error instanceof ODataError))
          assert.fail(`${option}=${JSON.stringify(text)} threw ${String(error)}`);
      }
    }
  });
});
