// Benchmark of the admin API: creates users through POST /v1.0/users with concurrent clients on
// loopback, then reads them by id and pages through a filtered list, on SQLite and on PostgreSQL.
// Prints figures; asserts nothing. Run: `npm run bench:directory-api` (BENCH_USERS=… to change the size).
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { startPostgres } from '../../tests/harness/postgres.js';
import { freePort } from '../../tests/harness/process.js';

const USERS = Number(process.env.BENCH_USERS ?? 100_000);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 32);
const GETS = Number(process.env.BENCH_GETS ?? 2000);
const DEPARTMENTS = 10;
const PASSWORD = 'Bench-Admin-1';
const root = new URL('../../', import.meta.url).pathname;
const bin = join(root, 'bin/cloudsync.mjs');

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

function summary(samples: number[]): string {
  const s = [...samples].sort((a, b) => a - b);
  return `p50 ${percentile(s, 50).toFixed(2)} ms, p99 ${percentile(s, 99).toFixed(2)} ms (n=${s.length})`;
}

/** Peak resident set of a process (VmHWM), in MiB. */
function peakRssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

async function startServer(
  dataDir: string,
  env: NodeJS.ProcessEnv,
): Promise<{ child: ChildProcess; base: string }> {
  const init = spawnSync(
    process.execPath,
    [bin, 'cloud', 'init', '--tenant', 'bench', '--data', dataDir, '--admin-password', PASSWORD],
    {
      env: { ...process.env, ...env },
      encoding: 'utf8',
    },
  );
  if (init.status !== 0) throw new Error(`init failed: ${init.stderr}`);
  const port = await freePort();
  // BENCH_SERVER_NODE_ARGS (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`) are given to the server's node only.
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const args = [
    ...nodeArgs,
    bin,
    'cloud',
    'serve',
    '--data',
    dataDir,
    '--port',
    String(port),
    '--log-level',
    'error',
  ];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i += 1) {
    const up = await fetch(`${base}/v1.0/organization`).then(
      (r) => r.status === 401,
      () => false,
    );
    if (up) return { child, base };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGTERM');
  throw new Error('server did not start');
}

async function token(base: string): Promise<string> {
  const res = await fetch(`${base}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'password',
      client_id: 'cloudsync-cli',
      username: 'admin@bench.cloudsync.test',
      password: PASSWORD,
    }),
  });
  const body = (await res.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`no token: ${JSON.stringify(body)}`);
  return body.access_token;
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const value = await fn();
  return [value, performance.now() - t0];
}

async function runBackend(name: string, env: NodeJS.ProcessEnv): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), `bench-directory-${name}-`));
  const { child, base } = await startServer(dataDir, env);
  try {
    const auth = { authorization: `Bearer ${await token(base)}` };
    const ids: string[] = new Array(USERS);
    let next = 0;
    let failures = 0;
    const createStart = performance.now();
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        for (let i = next++; i < USERS; i = next++) {
          const res = await fetch(`${base}/v1.0/users`, {
            method: 'POST',
            headers: { ...auth, 'content-type': 'application/json' },
            body: JSON.stringify({
              displayName: `Bench User ${i}`,
              userPrincipalName: `bench${i}@bench.cloudsync.test`,
              department: `Dept${i % DEPARTMENTS}`,
              usageLocation: 'US',
            }),
          });
          const body = (await res.json()) as { id?: string };
          if (res.status !== 201 || !body.id) failures += 1;
          else ids[i] = body.id;
        }
      }),
    );
    const createSeconds = (performance.now() - createStart) / 1000;
    console.log(
      `[${name}] created ${USERS - failures} users in ${createSeconds.toFixed(1)} s: ${((USERS - failures) / createSeconds).toFixed(0)} creates/s with ${CLIENTS} clients (${failures} failed)`,
    );

    const getLatencies: number[] = [];
    for (let k = 0; k < GETS; k += 1) {
      const id = ids[Math.floor(Math.random() * USERS)];
      const [res, ms] = await timed(() =>
        fetch(`${base}/v1.0/users/${id}`, { headers: auth }).then(
          async (r) => [r.status, await r.text()] as const,
        ),
      );
      if (res[0] !== 200) throw new Error(`GET by id → ${res[0]}`);
      getLatencies.push(ms);
    }
    console.log(`[${name}] GET /v1.0/users/{id}: ${summary(getLatencies)}`);

    const pageLatencies: number[] = [];
    let url: string | undefined = `${base}/v1.0/users?$filter=department eq 'Dept3'&$top=999&$count=true`;
    let seen = 0;
    let count = 0;
    const listStart = performance.now();
    while (url) {
      const [body, ms]: [{ value: unknown[]; '@odata.nextLink'?: string; '@odata.count'?: number }, number] =
        await timed(() =>
          fetch(url ?? '', { headers: auth }).then(
            (r) =>
              r.json() as Promise<{ value: unknown[]; '@odata.nextLink'?: string; '@odata.count'?: number }>,
          ),
        );
      pageLatencies.push(ms);
      seen += body.value.length;
      count = body['@odata.count'] ?? count;
      url = body['@odata.nextLink'];
    }
    const listSeconds = (performance.now() - listStart) / 1000;
    console.log(
      `[${name}] filtered list (department eq 'Dept3', $top=999, $count): ${seen} users of ${count} in ${pageLatencies.length} pages, ${listSeconds.toFixed(2)} s; page ${summary(pageLatencies)}`,
    );

    const prefixLatencies: number[] = [];
    for (let k = 0; k < 200; k += 1) {
      const prefix = `Bench User ${Math.floor(Math.random() * (USERS / 100))}`;
      const [, ms] = await timed(() =>
        fetch(`${base}/v1.0/users?$filter=startswith(displayName,'${prefix}')&$top=100`, {
          headers: auth,
        }).then((r) => r.text()),
      );
      prefixLatencies.push(ms);
    }
    console.log(`[${name}] filtered page startswith(displayName,…) $top=100: ${summary(prefixLatencies)}`);
    console.log(`[${name}] server peak RSS: ${peakRssMiB(child.pid ?? 0).toFixed(0)} MiB`);
    // Other work on the machine skews every figure; print how busy it was.
    console.log(
      `[${name}] machine load average (1/5/15 min): ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' / ')}`,
    );
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  }
}

console.log(
  `directory-api bench: ${USERS} users, ${CLIENTS} concurrent clients, ${cpus().length} CPUs, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
);
if (process.env.BENCH_BACKENDS !== 'postgres') await runBackend('sqlite', { DATABASE_URL: '' });
if (process.env.BENCH_BACKENDS === 'sqlite') process.exit(0);
const pgDir = mkdtempSync(join(tmpdir(), 'bench-directory-pg-'));
const pgServer = await startPostgres({ dir: pgDir });
try {
  await runBackend('postgres', { DATABASE_URL: pgServer.url });
} finally {
  await pgServer.stop();
  rmSync(pgDir, { recursive: true, force: true });
}
