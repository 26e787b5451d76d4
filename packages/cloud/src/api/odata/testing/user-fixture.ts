// Test support: a users table of ~500 rows with every awkward value the OData layer must handle
// (nulls, ties, mixed case, LIKE wildcards, quotes), created identically in SQLite and PostgreSQL.
import { type Kysely, sql } from 'kysely';
import { definePropertyMap } from '../property-map.js';

// Type aliases, not interfaces, so rows are assignable to Record<string, unknown> in the reference.
export type FixtureUser = {
  id: string;
  display_name: string | null;
  upn: string;
  mail: string | null;
  department: string | null;
  job_title: string | null;
  account_enabled: boolean;
  created_at: string;
  sign_in_count: number | null;
  level: number;
};

export type FixtureData = {
  users: FixtureUser[];
  user_licenses: { user_id: string; sku_id: string }[];
  user_proxy_addresses: { user_id: string; address: string }[];
};

export const SKUS = [
  '6fd2c87f-b296-42f0-b197-1e91e994b900',
  'c7df2760-2c81-4ef7-b578-5b5392b571df',
  '05e9a617-0261-4cee-bb44-138d3ef5d965',
  'ABCDEF01-2345-4678-9ABC-DEF012345678'.toLowerCase(),
];

export const USER_PROPERTIES = definePropertyMap({
  resource: 'user',
  key: 'users.id',
  properties: {
    id: { column: 'users.id', type: 'guid', filterable: true, sortable: true },
    displayName: {
      column: 'users.display_name',
      type: 'string',
      filterable: true,
      sortable: true,
      caseInsensitive: true,
      search: 'words',
    },
    userPrincipalName: {
      column: 'users.upn',
      type: 'string',
      filterable: true,
      sortable: true,
      caseInsensitive: true,
      search: 'prefix',
    },
    mail: {
      column: 'users.mail',
      type: 'string',
      filterable: true,
      sortable: true,
      caseInsensitive: true,
      search: 'words',
    },
    department: { column: 'users.department', type: 'string', filterable: true, sortable: true },
    jobTitle: { column: 'users.job_title', type: 'string' },
    'employeeOrgData/division': { column: 'users.department', type: 'string', filterable: true },
    accountEnabled: { column: 'users.account_enabled', type: 'bool', filterable: true, sortable: true },
    createdDateTime: { column: 'users.created_at', type: 'datetime', filterable: true, sortable: true },
    signInCount: { column: 'users.sign_in_count', type: 'number', filterable: true, sortable: true },
    level: { column: 'users.level', type: 'number', integer: true, filterable: true, sortable: true },
    assignedLicenses: {
      type: 'collection',
      table: 'user_licenses',
      foreignKey: 'user_id',
      filterable: true,
      properties: { skuId: { column: 'sku_id', type: 'guid', filterable: true } },
    },
    proxyAddresses: {
      type: 'collection',
      table: 'user_proxy_addresses',
      foreignKey: 'user_id',
      filterable: true,
      value: { column: 'address', type: 'string', filterable: true, caseInsensitive: true },
    },
  },
});

/** mulberry32: a small seeded generator, so every run and both databases see the same rows. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAMES = [
  'Adele Vance',
  'adele vance',
  'ADELE VANCE',
  'Alex Wilber',
  'Bianca Pisani',
  '100% Sales',
  '100x Sales',
  'under_score',
  'underXscore',
  "O'Brien",
  'back\\slash',
  'backXslash',
  'Zoë Müller',
  'zoë müller',
  'Émile',
  'Lee Gu',
  'Megan Bowen',
  'megan bowen',
  '',
];
const DEPARTMENTS = ['Sales', 'sales', 'R&D', 'Finance', 'finance', 'Fin_ance', 'HR', 'Retail%', null];
const TITLES = ['Engineer', 'Manager', null];

export function makeFixture(count = 500, seed = 20261125): FixtureData {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const hex = (length: number) => Array.from({ length }, () => Math.floor(next() * 16).toString(16)).join('');
  const data: FixtureData = { users: [], user_licenses: [], user_proxy_addresses: [] };
  const base = Date.UTC(2024, 0, 1);
  for (let index = 0; index < count; index += 1) {
    const id = `${hex(8)}-${hex(4)}-4${hex(3)}-8${hex(3)}-${hex(12)}`;
    const name = next() < 0.06 ? null : pick(NAMES);
    const local = (name ?? 'nobody').replace(/[^A-Za-z]/g, '').slice(0, 12) || 'user';
    const upn = `${next() < 0.5 ? local.toUpperCase() : local}.${index}@${pick(['Contoso.com', 'contoso.com', 'fabrikam.com'])}`;
    data.users.push({
      id,
      display_name: name,
      upn,
      mail: next() < 0.2 ? null : upn.toLowerCase(),
      department: pick(DEPARTMENTS),
      job_title: pick(TITLES),
      account_enabled: next() < 0.7,
      // 200 distinct instants for 500 users: plenty of ties for the id tie-breaker.
      created_at: new Date(base + Math.floor(next() * 200) * 3_600_123).toISOString(),
      sign_in_count: next() < 0.1 ? null : Math.floor(next() * 40) + (next() < 0.1 ? 0.5 : 0),
      level: Math.floor(next() * 5),
    });
    for (const sku of SKUS) if (next() < 0.3) data.user_licenses.push({ user_id: id, sku_id: sku });
    data.user_proxy_addresses.push({ user_id: id, address: `SMTP:${upn}` });
    if (next() < 0.5) data.user_proxy_addresses.push({ user_id: id, address: `smtp:${local}@fabrikam.com` });
  }
  return data;
}

export type Dialect = 'sqlite' | 'postgres';

/** The fixture tables as Kysely sees them: each database returns booleans and datetimes its own way. */
export interface FixtureDatabase {
  users: Omit<FixtureUser, 'account_enabled' | 'created_at'> & {
    account_enabled: boolean | number;
    created_at: string | Date;
  };
  user_licenses: FixtureData['user_licenses'][number];
  user_proxy_addresses: FixtureData['user_proxy_addresses'][number];
}

/** Tables as a store would create them: PostgreSQL `uuid`, `boolean`, `timestamptz(3)`; SQLite text/integer. */
export async function createFixtureTables(db: Kysely<FixtureDatabase>, dialect: Dialect, data: FixtureData) {
  const pg = dialect === 'postgres';
  // The database's default collation: lower(column) and lower(value) must fold case under the same one.
  // The test server is initialised without a locale, so PostgreSQL sorts by code point, like SQLite.
  const text = sql.raw('text');
  const guid = sql.raw(pg ? 'uuid' : 'text');
  await sql`create table users (
    id ${guid} primary key, display_name ${text}, upn ${text} not null, mail ${text}, department ${text},
    job_title ${text}, account_enabled ${sql.raw(pg ? 'boolean' : 'integer')} not null,
    created_at ${sql.raw(pg ? 'timestamptz(3)' : 'text')} not null, sign_in_count ${sql.raw(pg ? 'double precision' : 'real')},
    level integer not null
  )`.execute(db);
  await sql`create index users_upn_lower on users (lower(upn))`.execute(db);
  await sql`create table user_licenses (user_id ${guid} not null references users (id), sku_id ${guid} not null)`.execute(
    db,
  );
  await sql`create table user_proxy_addresses (user_id ${guid} not null references users (id), address ${text} not null)`.execute(
    db,
  );
  for (let start = 0; start < data.users.length; start += 100) {
    const rows = data.users.slice(start, start + 100).map((user) => ({
      ...user,
      account_enabled: pg ? user.account_enabled : Number(user.account_enabled),
    }));
    await db
      .insertInto('users' as never)
      .values(rows as never)
      .execute();
  }
  await db
    .insertInto('user_licenses' as never)
    .values(data.user_licenses as never)
    .execute();
  await db
    .insertInto('user_proxy_addresses' as never)
    .values(data.user_proxy_addresses as never)
    .execute();
}
