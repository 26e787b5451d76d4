import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';
import { bindFilter } from './bind-filter.js';
import { compileFilter, escapeLike } from './compile-filter.js';
import { DEFAULT_FILTER_LIMITS, parseFilter } from './filter-parser.js';
import { parseSearch } from './search.js';
import { type FixtureDatabase, USER_PROPERTIES } from './testing/user-fixture.js';

const sqlite = new Kysely<FixtureDatabase>({
  dialect: {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  },
});
const postgres = new Kysely<FixtureDatabase>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

function compile(filter: string, db = sqlite) {
  const where = compileFilter(bindFilter(parseFilter(filter), USER_PROPERTIES));
  const { sql, parameters } = db.selectFrom('users').select('id').where(where).compile();
  return { sql: sql.replace(/^select "id" from "users" where /, ''), parameters };
}

test('case-insensitive equality lowers both sides, so an index on lower(column) serves it', () => {
  assert.deepEqual(compile("userPrincipalName eq 'Adele@Contoso.com'"), {
    sql: 'lower("users"."upn") = lower(?)',
    parameters: ['Adele@Contoso.com'],
  });
  assert.deepEqual(compile("department eq 'Sales'"), {
    sql: '"users"."department" = ?',
    parameters: ['Sales'],
  });
});

test('every value is a bound parameter, whatever it contains', () => {
  const { sql, parameters } = compile(
    "displayName eq 'x'' or 1=1 --' or department in ('a;drop table users','b')",
  );
  assert.ok(!sql.includes('drop') && !sql.includes('1=1'), sql);
  assert.deepEqual(parameters, ["x' or 1=1 --", 'a;drop table users', 'b']);
});

test('startswith escapes LIKE wildcards and the escape character', () => {
  assert.equal(escapeLike('100%_\\x'), '100\\%\\_\\\\x');
  assert.deepEqual(compile("startswith(displayName,'10%_a')"), {
    sql: `lower("users"."display_name") like lower(?) escape '\\'`,
    parameters: ['10\\%\\_a%'],
  });
  assert.deepEqual(compile("endswith(mail,'@x')").parameters, ['%@x']);
});

test('case-sensitive startswith and endswith compare a substring instead of LIKE', () => {
  assert.deepEqual(compile("startswith(department,'Fi%')"), {
    sql: 'substr("users"."department", 1, 3) = ?',
    parameters: ['Fi%'],
  });
  assert.equal(
    compile("endswith(department,'ce')").sql,
    'substr("users"."department", length("users"."department") - 2 + 1) = ?',
  );
});

test('not is pushed to the leaves, where a null column counts as not matching', () => {
  assert.equal(
    compile("not (department eq 'a' and signInCount gt 3)").sql,
    '(("users"."department" <> ? or "users"."department" is null) or ("users"."sign_in_count" <= ? or "users"."sign_in_count" is null))',
  );
  assert.equal(compile('not (displayName eq null)').sql, '"users"."display_name" is not null');
  assert.equal(
    compile("displayName ne 'a'").sql,
    '(lower("users"."display_name") <> lower(?) or "users"."display_name" is null)',
  );
});

test('booleans are the SQL keywords true and false, which both databases read', () => {
  assert.deepEqual(compile('accountEnabled eq true'), {
    sql: '"users"."account_enabled" = true',
    parameters: [],
  });
});

test('lambdas become correlated exists subqueries', () => {
  assert.deepEqual(
    compile('assignedLicenses/any(x:x/skuId eq 6fd2c87f-b296-42f0-b197-1e91e994b900)', postgres),
    {
      sql: 'exists (select 1 from "user_licenses" where "user_licenses"."user_id" = "users"."id" and "user_licenses"."sku_id" = $1)',
      parameters: ['6fd2c87f-b296-42f0-b197-1e91e994b900'],
    },
  );
  assert.equal(
    compile('not assignedLicenses/any()').sql,
    'not exists (select 1 from "user_licenses" where "user_licenses"."user_id" = "users"."id")',
  );
});

test('$search compiles to case-insensitive LIKEs on the value and, for words, after each separator', () => {
  const search = parseSearch('"displayName:a_b"', USER_PROPERTIES, DEFAULT_FILTER_LIMITS);
  const { sql, parameters } = sqlite.selectFrom('users').select('id').where(compileFilter(search)).compile();
  assert.equal(sql.match(/like lower\(\?\) escape/g)?.length, 6);
  assert.deepEqual(parameters, ['a\\_b%', '% a\\_b%', '%.a\\_b%', '%-a\\_b%', '%\\_a\\_b%', '%@a\\_b%']);
});
