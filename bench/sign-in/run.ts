// Sign-in benchmark, loopback only, bounded: password verifications per second at the token
// endpoint (password grant) beside the CPU floor of the derivation alone, and p50/p99 of a full
// authorization code flow (+PKCE) under concurrent load — for cloud-only users (scrypt) and for
// synced users (the password hash sync envelope, PBKDF2 over the NT hash). Prints its figures;
// never run by `npm test`.
//
//   npm run bench:sign-in -- [--requests 200] [--concurrency 8] [--flows 60]
import { randomUUID } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import Fastify from 'fastify';
import * as oidc from 'openid-client';
import pino from 'pino';
import { createAuth } from '../../packages/cloud/src/auth/create-auth.js';
import { hashPassword, verifyPassword } from '../../packages/cloud/src/sign-in/password-hash.js';
import { openStore } from '../../packages/cloud/src/store/index.js';
import { hashOfHash, ntHash } from '../../packages/protocol/src/index.js';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '8' },
    flows: { type: 'string', default: '60' },
  },
});
const REQUESTS = Number(values.requests);
const CONCURRENCY = Number(values.concurrency);
const FLOWS = Number(values.flows);

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

async function pool<T>(n: number, width: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < n) {
        const i = next++;
        out[i] = await task(i);
      }
    }),
  );
  return out;
}

// The floor: the derivation alone, in this process, sequential and as wide as the load.
const PASSWORD = 'Bench-Passw0rd!';
async function floor(stored: string): Promise<{ sequential: number; parallel: number }> {
  let t = performance.now();
  for (let i = 0; i < 20; i++) await verifyPassword(PASSWORD, stored);
  const sequential = 20 / ((performance.now() - t) / 1000);
  t = performance.now();
  await pool(REQUESTS / 2, CONCURRENCY, () => verifyPassword(PASSWORD, stored));
  return { sequential, parallel: REQUESTS / 2 / ((performance.now() - t) / 1000) };
}
const kinds = {
  'cloud-only (scrypt ln=15,r=8,p=1)': { stored: await hashPassword(PASSWORD), synced: false },
  'synced (pbkdf2-sha256 ×1000 over the NT hash)': {
    stored: await hashOfHash(ntHash(PASSWORD)),
    synced: true,
  },
};

// A sign-in slice of the cloud (SQLite in memory), rate limits raised so they do not cap the run.
const store = await openStore({ sqliteFile: ':memory:' });
await store.db
  .insertInto('tenant')
  .values({
    id: randomUUID(),
    display_name: 'Bench',
    initial_domain: 'bench.cloudsync.test',
    created_at: new Date().toISOString(),
  })
  .execute();
const server = Fastify({ loggerInstance: pino({ level: 'silent' }) });
const port = 20000 + Math.floor(Math.random() * 20000);
const url = `http://127.0.0.1:${port}`;
const auth = await createAuth({
  db: store.db,
  config: { publicUrl: url },
  log: server.log,
  guard: { limits: { perAccountPerMinute: 1e9, perAddressPerMinute: 1e9 }, lockout: { threshold: 1e9 } },
});
await auth.register(server);
await server.listen({ host: '127.0.0.1', port });
/** Sixteen users of one kind: cloud-only with a scrypt hash, or synced with the hash sync's envelope. */
async function seedUsers(kind: string, stored: string, synced: boolean): Promise<string[]> {
  return Promise.all(
    Array.from({ length: 16 }, async (_, i) => {
      const upn = `bench-${synced ? 'synced' : 'cloud'}${i}@bench.cloudsync.test`;
      await store.db
        .insertInto('users')
        .values({
          id: randomUUID(),
          user_principal_name: upn,
          upn_key: upn,
          display_name: `${kind} ${i}`,
          account_enabled: 1,
          password_hash: stored,
          on_premises_sync_enabled: synced ? 1 : 0,
          ...(synced ? { on_premises_domain_name: 'corp.example.test' } : {}),
          created_at: new Date().toISOString(),
        })
        .execute();
      return upn;
    }),
  );
}

// Password verifications per second at the endpoint.
async function endpointRate(users: string[]): Promise<{ rate: number; failed: number }> {
  const t = performance.now();
  const statuses = await pool(REQUESTS, CONCURRENCY, async (i) => {
    const res = await fetch(`${url}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'password',
        client_id: 'cloudsync-cli',
        username: users[i % users.length] ?? '',
        password: PASSWORD,
      }),
    });
    await res.arrayBuffer();
    return res.status;
  });
  return {
    rate: REQUESTS / ((performance.now() - t) / 1000),
    failed: statuses.filter((s) => s !== 200).length,
  };
}

// Full code flows: authorize → sign-in page → login → consent skipped (first party) → code → token.
const redirect = 'http://127.0.0.1:9/cb';
const client = await auth.apps.create({
  displayName: 'Bench',
  credential: { type: 'public' },
  grantTypes: ['authorization_code'],
  redirectUris: [redirect],
  firstParty: true,
});
const config = await oidc.discovery(new URL(auth.issuer), client.clientId, undefined, oidc.None(), {
  execute: [oidc.allowInsecureRequests],
});

async function flow(users: string[], i: number): Promise<number> {
  const jar = new Map<string, string>();
  const go = async (target: string, init: RequestInit = {}) => {
    const res = await fetch(target, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers ?? {}), cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair = ''] = c.split(';');
      const at = pair.indexOf('=');
      jar.set(pair.slice(0, at), pair.slice(at + 1));
    }
    await res.arrayBuffer();
    return res;
  };
  const start = performance.now();
  const verifier = oidc.randomPKCECodeVerifier();
  let res = await go(
    oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirect,
      scope: 'openid',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    }).href,
  );
  const signIn = new URL(res.headers.get('location') ?? '', url).href;
  await go(signIn);
  res = await go(`${signIn}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      username: users[i % users.length] ?? '',
      password: PASSWORD,
    }).toString(),
  });
  let location = res.headers.get('location') ?? '';
  for (let hops = 0; hops < 5 && !location.startsWith(redirect); hops++) {
    res = await go(new URL(location, url).href);
    location = res.headers.get('location') ?? '';
  }
  if (!location.startsWith(redirect)) throw new Error(`flow ${i} did not reach the app (${res.status})`);
  await oidc.authorizationCodeGrant(config, new URL(location), {
    pkceCodeVerifier: verifier,
    idTokenExpected: true,
  });
  return performance.now() - start;
}
const width = Math.max(1, CONCURRENCY / 2);
const results = [];
for (const [kind, { stored, synced }] of Object.entries(kinds)) {
  const users = await seedUsers(kind, stored, synced);
  const floors = await floor(stored);
  const endpoint = await endpointRate(users);
  const flowMs = (await pool(FLOWS, width, (i) => flow(users, i))).sort((a, b) => a - b);
  results.push({ kind, floors, endpoint, flowMs });
}

await server.close();
await store.close();
const f = (n: number) => n.toFixed(0);
console.log(
  `machine: ${cpus().length} cores, load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
for (const { kind, floors, endpoint, flowMs } of results) {
  console.log(`${kind}:`);
  console.log(
    `  derivation floor: ${f(floors.sequential)}/s sequential, ${f(floors.parallel)}/s at concurrency ${CONCURRENCY}`,
  );
  console.log(
    `  password grant at /oauth2/token: ${f(endpoint.rate)} verifications/s (${REQUESTS} requests, concurrency ${CONCURRENCY}, ${endpoint.failed} not 200) = ${(endpoint.rate / floors.parallel).toFixed(2)} of the floor`,
  );
  console.log(
    `  full code flow + PKCE: p50 ${f(pct(flowMs, 50))} ms, p99 ${f(pct(flowMs, 99))} ms (${FLOWS} flows, concurrency ${width})`,
  );
}
console.log('writeback end-to-end: npm run bench:writeback (needs Samba and an agent)');
