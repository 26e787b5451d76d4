// Test support: one suite for the compiled queries, run against every database (STYLE.md §5).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Kysely } from 'kysely';
import { ODataError } from '../errors.js';
import { createOData } from '../index.js';
import type { QueryOptions } from '../query-options.js';
import { generateFilters } from './filter-generator.js';
import { matches, sortRows, type Tables } from './reference-filter.js';
import {
  createFixtureTables,
  type Dialect,
  type FixtureData,
  type FixtureDatabase,
  makeFixture,
  SKUS,
  USER_PROPERTIES,
} from './user-fixture.js';

export interface ContractDatabase {
  db: Kysely<FixtureDatabase>;
  close(): Promise<void>;
}

const odata = createOData({ skipTokenSecret: 'test secret, at least 16 bytes' });

function filtersFor(data: FixtureData): string[] {
  const someone = data.users[7];
  const other = data.users[42];
  assert.ok(someone && other);
  return [
    'accountEnabled eq true',
    'accountEnabled ne true',
    'not accountEnabled eq false',
    "displayName eq 'adele vance'",
    "displayName ne 'Adele Vance'",
    'displayName eq null',
    'displayName ne null',
    "displayName eq ''",
    "displayName eq 'O''Brien'",
    "startswith(displayName,'AD')",
    "startswith(displayName,'100%')",
    "startswith(displayName,'under_')",
    "startswith(displayName,'back\\')",
    "endswith(displayName,'% Sales')",
    "not startswith(displayName,'a')",
    "endswith(userPrincipalName,'@CONTOSO.com')",
    "startswith(department,'Fin')",
    "startswith(department,'fin')",
    "startswith(department,'Fin_')",
    "endswith(department,'l%')",
    "department eq 'sales'",
    "department in ('Sales','HR')",
    "not (department in ('Sales','HR'))",
    `userPrincipalName in ('${someone.upn.toUpperCase()}', '${other.upn.toLowerCase()}')`,
    `mail eq '${someone.upn.toUpperCase()}'`,
    'createdDateTime ge 2024-01-03T00:00:00Z and createdDateTime lt 2024-01-06T12:30:00.5Z',
    'createdDateTime gt 2024-01-05T10:00:00+02:00',
    'createdDateTime le 2024-01-03',
    'signInCount gt 10',
    'signInCount le 3 or signInCount eq null',
    'not (signInCount gt 10)',
    'signInCount eq 12.5 or signInCount eq 3',
    'level ge 3 and not (level eq 4)',
    'level in (0, 2)',
    `id eq ${someone.id}`,
    `id eq '${other.id.toUpperCase()}'`,
    `id in (${someone.id}, ${other.id})`,
    `assignedLicenses/any(x:x/skuId eq ${SKUS[0]})`,
    `not assignedLicenses/any(x:x/skuId eq ${SKUS[0]?.toUpperCase()})`,
    `assignedLicenses/any(x:x/skuId eq ${SKUS[1]} or x/skuId eq ${SKUS[3]}) and accountEnabled eq true`,
    'assignedLicenses/any()',
    'not assignedLicenses/any()',
    "proxyAddresses/any(p:startswith(p,'SMTP:adele'))",
    "proxyAddresses/any(p:p eq 'smtp:meganbowen@FABRIKAM.com')",
    "(accountEnabled eq true or department eq 'HR') and not startswith(displayName,'A')",
    "not (not (department ne 'Sales' and signInCount ge 20) or displayName eq null)",
  ];
}

const ORDERINGS: { query: Record<string, string>; label: string }[] = [
  { label: 'default order', query: { $top: '37' } },
  { label: 'displayName', query: { $orderby: 'displayName', $top: '50' } },
  {
    label: 'displayName desc, filtered',
    query: { $orderby: 'displayName desc', $top: '23', $filter: 'accountEnabled eq true' },
  },
  {
    label: 'two keys with nulls and ties',
    query: { $orderby: 'signInCount desc,createdDateTime', $top: '41' },
  },
  { label: 'createdDateTime desc, one page', query: { $orderby: 'createdDateTime desc', $top: '999' } },
  { label: 'department asc, mail desc', query: { $orderby: 'department asc, mail desc', $top: '13' } },
  { label: 'boolean key', query: { $orderby: 'accountEnabled', $top: '60' } },
  { label: 'integer key', query: { $orderby: 'level desc', $top: '33' } },
  {
    label: 'top 1 with a filter',
    query: { $orderby: 'userPrincipalName', $top: '1', $filter: "startswith(displayName,'zo')" },
  },
];

export function runListContract(dialect: Dialect, open: () => Promise<ContractDatabase>): void {
  describe(`OData list queries on ${dialect}`, () => {
    const data = makeFixture();
    const tables: Tables = data;
    let database: ContractDatabase;
    const users = (): Kysely<FixtureDatabase> => database.db;
    const baseQuery = () => users().selectFrom('users').selectAll();

    before(async () => {
      database = await open();
      await createFixtureTables(database.db, dialect, data);
    });
    after(async () => database?.close());

    async function allPages(options: QueryOptions, query: Record<string, string>) {
      const ids: string[] = [];
      let current = options;
      for (let pages = 0; pages < 600; pages += 1) {
        const page = await odata.list(baseQuery(), current);
        assert.ok(page.rows.length <= options.top);
        ids.push(...page.rows.map((row) => row.id));
        if (!page.skipToken) return { ids, pages: pages + 1 };
        assert.equal(page.rows.length, options.top, 'only the last page may be short');
        current = odata.parse({ ...query, $skiptoken: page.skipToken }, USER_PROPERTIES);
      }
      assert.fail('paging did not end');
    }

    test('every filter returns exactly the rows OData semantics select', async () => {
      for (const filter of filtersFor(data)) {
        const options = odata.parse(
          { $filter: filter, $top: '999', $orderby: 'userPrincipalName' },
          USER_PROPERTIES,
        );
        assert.ok(options.filter);
        const optionsFilter = options.filter;
        const expected = data.users
          .filter((user) => matches(optionsFilter, { ...user }, tables))
          .map((user) => user.id);
        const page = await odata.list(baseQuery(), options);
        assert.deepEqual(
          page.rows.map((row) => row.id).sort(),
          [...expected].sort(),
          `${dialect}: ${filter}`,
        );
      }
    });

    test('random nested filters agree with the reference', async () => {
      let selective = 0;
      for (const filter of generateFilters(data, 300, 1234)) {
        const options = odata.parse({ $filter: filter, $top: '999', $count: 'true' }, USER_PROPERTIES);
        const optionsFilter = options.filter;
        assert.ok(optionsFilter);
        const expected = data.users
          .filter((user) => matches(optionsFilter, { ...user }, tables))
          .map((user) => user.id);
        const page = await odata.list(baseQuery(), options);
        assert.deepEqual(
          page.rows.map((row) => row.id).sort(),
          [...expected].sort(),
          `${dialect}: ${filter}`,
        );
        assert.equal(page.count, expected.length);
        if (expected.length > 0 && expected.length < data.users.length) selective += 1;
      }
      assert.ok(selective > 100, `only ${selective} of 300 generated filters were selective`);
    });

    test('$search matches word or value prefixes, ignoring case, together with $filter and paging', async () => {
      const searches = [
        '"displayName:adele"',
        '"displayName:VAN"',
        '"displayName:sales" OR "userPrincipalName:o"',
        '"displayName:sc"',
        '"displayName:%"',
        '"mail:fabrikam" AND "displayName:m"',
        '"userPrincipalName:contoso"',
        '"mail:com"',
      ];
      let nonEmpty = 0;
      for (const search of searches) {
        const query = {
          $search: search,
          $filter: 'accountEnabled eq true',
          $orderby: 'displayName',
          $top: '7',
          $count: 'true',
        };
        const options = odata.parse(query, USER_PROPERTIES);
        const { filter, search: bound } = options;
        assert.ok(filter && bound);
        const selected = data.users.filter(
          (user) => matches(filter, { ...user }, tables) && matches(bound, { ...user }, tables),
        );
        const expected = sortRows(selected, options.orderBy).map((row) => row.id);
        const { ids } = await allPages(options, query);
        assert.deepEqual(ids, expected, `${dialect}: ${search}`);
        assert.equal((await odata.list(baseQuery(), options)).count, expected.length);
        if (expected.length > 0) nonEmpty += 1;
      }
      assert.ok(nonEmpty >= 6, `only ${nonEmpty} searches found anything`);
    });

    test('the filters are not vacuous: each selects some rows and leaves some out', () => {
      for (const filter of filtersFor(data)) {
        const options = odata.parse({ $filter: filter }, USER_PROPERTIES);
        assert.ok(options.filter);
        const optionsFilter = options.filter;
        const count = data.users.filter((user) => matches(optionsFilter, { ...user }, tables)).length;
        assert.ok(
          count > 0 && count < data.users.length,
          `${filter} selects ${count} of ${data.users.length}`,
        );
      }
    });

    for (const { label, query } of ORDERINGS) {
      test(`paging by ${label} returns every row once, in order`, async () => {
        const options = odata.parse(query, USER_PROPERTIES);
        const { ids, pages } = await allPages(options, query);
        const optionsFilter = options.filter;
        const selected = data.users.filter(
          (user) => !optionsFilter || matches(optionsFilter, { ...user }, tables),
        );
        const expected = sortRows(selected, options.orderBy).map((row) => row.id);
        assert.equal(new Set(ids).size, ids.length, 'no row twice');
        assert.deepEqual(ids, expected);
        assert.equal(pages, Math.max(1, Math.ceil(expected.length / options.top)));
      });
    }

    test("the route's own order, limit and offset give way to the page's", async () => {
      const options = odata.parse(
        { $orderby: 'createdDateTime', $top: '20', $count: 'true' },
        USER_PROPERTIES,
      );
      const query = baseQuery().orderBy('upn', 'desc').limit(3).offset(2);
      const page = await odata.list(query, options);
      const expected = sortRows(data.users, options.orderBy)
        .slice(0, 20)
        .map((row) => row.id);
      assert.deepEqual(
        page.rows.map((row) => row.id),
        expected,
      );
      assert.equal(page.count, data.users.length);
    });

    test('$count counts every match, not the page', async () => {
      const filter = "accountEnabled eq true and not startswith(displayName,'a')";
      const options = odata.parse({ $filter: filter, $count: 'true', $top: '5' }, USER_PROPERTIES);
      const page = await odata.list(baseQuery(), options);
      const optionsFilter = options.filter;
      assert.ok(optionsFilter);
      const expected = data.users.filter((user) => matches(optionsFilter, { ...user }, tables)).length;
      assert.equal(page.rows.length, 5);
      assert.equal(page.count, expected);
      assert.equal(await odata.count(baseQuery(), options), expected);
      const plain = await odata.list(baseQuery(), odata.parse({ $top: '5' }, USER_PROPERTIES));
      assert.equal(plain.count, undefined);
    });

    test('tampered, foreign and garbage skip tokens are refused with 400', async () => {
      const query = { $orderby: 'displayName', $top: '10' };
      const first = await odata.list(baseQuery(), odata.parse(query, USER_PROPERTIES));
      const token = first.skipToken;
      assert.ok(token);
      const [payload = '', signature = ''] = token.split('.');
      const forged = Buffer.from(JSON.stringify(['zzz', '00000000-0000-4000-8000-000000000000'])).toString(
        'base64url',
      );
      const flipped = `${signature.slice(0, -2)}${signature.endsWith('A') ? 'B' : 'A'}${signature.slice(-1)}`;
      const attempts: Record<string, string>[] = [
        { ...query, $skiptoken: `${forged}.${signature}` },
        { ...query, $skiptoken: `${payload}.${flipped}` },
        { ...query, $skiptoken: payload },
        { ...query, $skiptoken: 'garbage' },
        { ...query, $skiptoken: `${token}.x` },
        { $orderby: 'displayName desc', $top: '10', $skiptoken: token },
        { ...query, $filter: 'accountEnabled eq true', $skiptoken: token },
      ];
      for (const attempt of attempts) {
        const options = odata.parse(attempt, USER_PROPERTIES);
        await assert.rejects(
          odata.list(baseQuery(), options),
          (error: unknown) =>
            error instanceof ODataError && error.code === 'BadRequest' && error.statusCode === 400,
          JSON.stringify(attempt),
        );
      }
      const second = await odata.list(
        baseQuery(),
        odata.parse({ ...query, $skiptoken: token }, USER_PROPERTIES),
      );
      assert.equal(second.rows.length, 10);
    });

    test('edge values either are refused with 400 or run: never a database error', async () => {
      const edges = [
        'createdDateTime ge 0001-01-01T00:00:00Z',
        'createdDateTime le 9999-12-31T23:59:59.999Z',
        'createdDateTime eq 2024-01-01T00:00:00.0000001Z',
        'signInCount gt 1e308 or signInCount lt -1e308 or signInCount eq 0.1',
        'level gt 9007199254740991',
        'level gt 9007199254740992',
        "displayName eq '😀\uD800' or displayName eq '\u00ff\u0100'",
        'id eq 00000000-0000-0000-0000-000000000000',
        `startswith(displayName,'${'x'.repeat(3000)}')`,
        `department in (${Array.from({ length: 100 }, (_, index) => `'d${index}'`).join(',')})`,
        `assignedLicenses/any(x:x/skuId in (${SKUS.join(',')}))`,
      ];
      for (const filter of edges) {
        let options: QueryOptions;
        try {
          options = odata.parse(
            { $filter: filter, $orderby: 'createdDateTime desc', $count: 'true' },
            USER_PROPERTIES,
          );
        } catch (error) {
          assert.ok(error instanceof ODataError, `${filter}: ${String(error)}`);
          continue;
        }
        await odata.list(baseQuery(), options);
      }
    });

    test('hostile string values stay values: quotes, LIKE wildcards and SQL in literals', async () => {
      const filter =
        "displayName eq 'x'' or 1=1 --' or startswith(displayName,'%') or startswith(department,'_')";
      const page = await odata.list(baseQuery(), odata.parse({ $filter: filter }, USER_PROPERTIES));
      assert.deepEqual(page.rows, []);
      assert.equal((await baseQuery().execute()).length, data.users.length, 'the table is intact');
    });
  });
}
