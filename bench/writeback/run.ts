// Benchmark: password writeback end to end. A Samba AD DC (a copy of a provisioned folder, on its own
// loopback address), a real cloud (SQLite, in this process) and the real agent service
// (`cloudsync agent run`, a child process) installed by the wizard, writeback turned on as
// `cloudsync agent writeback enable` does. Each reset is the last step of the self-service flow
// (`POST /password-reset/password`), timed from the request to the cloud's "Password reset" page:
// AD accepted the password through the agent and the cloud stored its hash. Beside it, the floor:
// the same unicodePwd reset straight to the DC over LDAPS. Prints figures; asserts nothing about time.
//
//   npm run bench:writeback -- [--users 50] [--resets 200] [--concurrency 1,4] [--floor 100] [--ip 127.0.0.42]
//
// Passwords are random per reset, held in memory only, and never printed or logged.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import type { WritebackJob } from '@cloudsync/protocol';
import { Attribute, Change, Client } from 'ldapts';
import { generate, generateSecret } from 'otplib';
import pino from 'pino';
import type { AdConnection } from '../../packages/agent/src/ad/connection.js';
import { loadRuntime } from '../../packages/agent/src/service/agent-runtime.js';
import { applyWritebackJob, unicodePwd } from '../../packages/agent/src/writeback/apply-job.js';
import { enableWriteback } from '../../packages/agent/src/writeback/enable.js';
import type { AgentsTables } from '../../packages/cloud/src/agents/schema.js';
import { ADMIN_PASSWORD } from '../../packages/cloud/src/api/api-fixture.js';
import { withDomainRootAclLock } from '../../tests/support/ad.js';
import {
  percentile,
  poll,
  type SyncEnvironment,
  startSyncEnvironment,
} from '../fixtures/sync-environment.js';

const { values: args } = parseArgs({
  options: {
    users: { type: 'string', default: '50' },
    resets: { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '1,4' },
    floor: { type: 'string', default: '100' },
    ip: { type: 'string', default: '127.0.0.42' },
  },
});
const USERS = Number(args.users);
const RESETS = Number(args.resets);
const WIDTHS = args.concurrency.split(',').map(Number);
const FLOOR = Number(args.floor);
const bin = new URL('../../bin/cloudsync.mjs', import.meta.url).pathname;
/** The queue's claim visibility (jobs.ts default): a claim sets `claim_until` = claim time + this. */
const CLAIM_VISIBILITY_MS = 60_000;
/** Step 1 of the flow is rate limited per client address (120/min): flows are prepared from several. */
const SOURCE_ADDRESSES = Array.from({ length: 8 }, (_, i) => `127.0.1.${i + 1}`);

/** A password Samba's default policy accepts (length, three character classes); never printed. */
const newPassword = () => `Wb1!${randomBytes(12).toString('base64url')}`;
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
const ms = (v: number) => (Number.isFinite(v) ? `${v.toFixed(0)} ms` : '?');

// ---------------------------------------------------------------------------------------------
// The agent service, a child process; what it logs about cycles and writeback jobs.

interface AgentService {
  pid: number;
  /** Cycles that ended, in order. */
  cycles: { endedAt: string; error?: unknown }[];
  /** "writeback applied" per job: when (epoch ms) and AD's answer. */
  applied: Map<string, { at: number; status: string }>;
  stop(): Promise<void>;
}

function startAgentService(stateDir: string): AgentService {
  const child: ChildProcess = spawn(
    process.execPath,
    [bin, 'agent', 'run', '--state-dir', stateDir, '--log-level', 'info', '--heartbeat-seconds', '10'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  if (child.pid === undefined || !child.stdout) throw new Error('the agent did not start');
  const service: AgentService = {
    pid: child.pid,
    cycles: [],
    applied: new Map(),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      process.kill(service.pid, 'SIGTERM');
      const timer = setTimeout(() => process.kill(service.pid, 'SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
  createInterface({ input: child.stdout }).on('line', (line) => {
    let entry: {
      msg?: string;
      level?: number;
      time?: number;
      jobId?: string;
      status?: string;
      cycle?: { endedAt?: string; error?: unknown };
    };
    try {
      // pino's JSON lines (epoch-ms `time`); their shape is the agent's own.
      entry = JSON.parse(line) as typeof entry;
    } catch {
      return;
    }
    if (entry.msg === 'writeback applied' && entry.jobId && entry.time)
      service.applied.set(entry.jobId, { at: entry.time, status: entry.status ?? '?' });
    else if (entry.msg?.startsWith('cycle ') && entry.cycle?.endedAt)
      service.cycles.push({ endedAt: entry.cycle.endedAt, error: entry.cycle.error });
    else if ((entry.level ?? 0) >= 40) console.error(`  agent: ${line.slice(0, 300)}`);
  });
  return service;
}

/** Waits until the agent has ended no cycle for `quietMs` (bounded): notifications settle. */
async function quiet(agent: AgentService, quietMs: number, timeoutMs: number): Promise<void> {
  let seen = -1;
  let since = Date.now();
  await poll(
    'a quiet agent',
    () => {
      if (agent.cycles.length !== seen) {
        seen = agent.cycles.length;
        since = Date.now();
      }
      return Date.now() - since >= quietMs ? true : undefined;
    },
    timeoutMs,
    200,
  );
}

// ---------------------------------------------------------------------------------------------
// The self-service pages over HTTP, from a chosen loopback source address.

const http = new Agent({ keepAlive: true, maxSockets: 64 });

function postForm(
  base: URL,
  path: string,
  form: Record<string, string>,
  localAddress?: string,
): Promise<{ status: number; text: string }> {
  const body = new URLSearchParams(form).toString();
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent: http,
        host: base.hostname,
        port: base.port,
        path,
        method: 'POST',
        ...(localAddress ? { localAddress } : {}),
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const flowOf = (html: string): string | undefined => /name="flow" value="([^"]+)"/.exec(html)?.[1];

/** Steps 1–3 of a reset (account, authenticator method, code): a flow ready for its new password. */
async function verifiedFlow(base: URL, upn: string, secret: string, from: string): Promise<string> {
  const start = await postForm(base, '/password-reset', { username: upn }, from);
  const flow = flowOf(start.text);
  if (start.status !== 200 || !flow) throw new Error(`reset step 1 for ${upn}: ${start.status}`);
  const method = await postForm(base, '/password-reset/method', { flow, method: 'authenticatorApp' }, from);
  if (method.status !== 200) throw new Error(`reset step 2 for ${upn}: ${method.status}`);
  const code = await generate({ secret });
  const verified = await postForm(base, '/password-reset/verify', { flow, code }, from);
  if (verified.status !== 200 || !verified.text.includes('/password-reset/password'))
    throw new Error(`reset step 3 for ${upn}: ${verified.status}`);
  return flow;
}

// ---------------------------------------------------------------------------------------------

interface BenchUser {
  n: number;
  id: string;
  upn: string;
  dn: string;
  anchor: string;
}

async function pool(n: number, width: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < n) await task(next++);
    }),
  );
}

const summary = (samples: readonly number[]) =>
  `p50 ${ms(percentile(samples, 50))}, p95 ${ms(percentile(samples, 95))}, p99 ${ms(percentile(samples, 99))}, max ${ms(Math.max(...samples))}`;

/** One timed reset as the client saw it (epoch ms), and the last password the user got. */
interface Timed {
  user: BenchUser;
  sentAt: number;
  answeredAt: number;
  ms: number;
}

interface PhaseResult {
  width: number;
  timed: Timed[];
  seconds: number;
  loadBefore: string;
  loadAfter: string;
  breakdown: Record<string, number[]>;
  agentCycles: number;
}

async function resetPhase(
  env: SyncEnvironment,
  agent: AgentService,
  users: BenchUser[],
  secret: string,
  width: number,
  lastPassword: Map<string, string>,
): Promise<PhaseResult> {
  const base = new URL(env.agent.fx.url);
  // Prepared first (untimed), from several source addresses: only step 4 is measured.
  const flows: string[] = [];
  await pool(RESETS, 4, async (i) => {
    const user = users[i % users.length];
    if (!user) throw new Error('no user');
    flows[i] = await verifiedFlow(
      base,
      user.upn,
      secret,
      SOURCE_ADDRESSES[i % SOURCE_ADDRESSES.length] ?? '',
    );
  });
  await quiet(agent, 4000, 120_000);
  const cyclesBefore = agent.cycles.length;
  const loadBefore = load();
  const phaseStart = new Date(Date.now() - 1000).toISOString();
  const timed: Timed[] = [];
  const t0 = performance.now();
  await pool(RESETS, width, async (i) => {
    const user = users[i % users.length];
    const flow = flows[i];
    if (!user || !flow) throw new Error('no flow');
    const password = newPassword();
    const sentAt = Date.now();
    const s0 = performance.now();
    const res = await postForm(base, '/password-reset/password', {
      flow,
      newPassword: password,
      confirmPassword: password,
    });
    const took = performance.now() - s0;
    if (res.status !== 200 || !res.text.includes('Password reset')) {
      const said = /role="alert"[^>]*>([^<]*)/.exec(res.text)?.[1] ?? '';
      throw new Error(`reset ${i} of ${user.upn} answered ${res.status}: ${said.slice(0, 200)}`);
    }
    lastPassword.set(user.id, password);
    timed.push({ user, sentAt, answeredAt: Date.now(), ms: took });
  });
  const seconds = (performance.now() - t0) / 1000;
  const loadAfter = load();

  // The breakdown, from what the code records anyway: the job row's created_at, claim_until (claim
  // time + visibility) and completed_at, and the agent's "writeback applied" log line.
  const rows = await env.agent.fx.cloud.store.db
    .withTables<AgentsTables>()
    .selectFrom('agent_jobs')
    .select(['id', 'payload', 'created_at', 'claim_until', 'completed_at', 'state'])
    .where('kind', '=', 'password-reset')
    .where('created_at', '>=', phaseStart)
    .execute();
  const jobs = rows.map((r) => ({
    id: r.id,
    // The stored payload is the writeback job without its id (writeback-jobs.ts).
    dn: String((JSON.parse(r.payload) as { distinguishedName?: string }).distinguishedName),
    created: Date.parse(r.created_at),
    claimed: r.claim_until ? Date.parse(r.claim_until) - CLAIM_VISIBILITY_MS : Number.NaN,
    completed: r.completed_at ? Date.parse(r.completed_at) : Number.NaN,
    applied: agent.applied.get(r.id)?.at ?? Number.NaN,
  }));
  const breakdown: Record<string, number[]> = {
    'cloud: request → job queued': [],
    'queued → claimed by the agent': [],
    'agent: claimed → AD answered': [],
    'agent: AD answered → answer stored': [],
    'cloud: answer stored → response': [],
  };
  const add = (key: string, v: number) => {
    if (Number.isFinite(v)) breakdown[key]?.push(v);
  };
  for (const t of timed) {
    const job = jobs.find(
      (j) => j.dn === t.user.dn && j.created >= t.sentAt - 5 && j.created <= t.answeredAt + 5,
    );
    if (!job) continue;
    add('cloud: request → job queued', job.created - t.sentAt);
    add('queued → claimed by the agent', job.claimed - job.created);
    add('agent: claimed → AD answered', job.applied - job.claimed);
    add('agent: AD answered → answer stored', job.completed - job.applied);
    add('cloud: answer stored → response', t.answeredAt - job.completed);
  }
  return {
    width,
    timed,
    seconds,
    loadBefore,
    loadAfter,
    breakdown,
    agentCycles: agent.cycles.length - cyclesBefore,
  };
}

// ---------------------------------------------------------------------------------------------
// The floor: the same reset straight to the DC.

/** The floor's measurements by name: per-operation samples (ms), and one rate (resets/s). */
type Floor = { samples: Map<string, number[]>; parallelRate: number };

const FLOOR_BARE = 'LDAPS unicodePwd replace, bound once (ldapts, Administrator)';
const FLOOR_PER_JOB = 'agent per job: connect + bind + applyWritebackJob + close';
const replace = (type: string, value: Buffer | string) =>
  new Change({
    operation: 'replace',
    // Attribute takes string[] or Buffer[], not an array of the union.
    modification: new Attribute({ type, values: typeof value === 'string' ? [value] : [value] }),
  });

/** Runs `op(i)` FLOOR times in sequence and records each duration under `name`. */
async function timeEach(floor: Floor, name: string, op: (i: number) => Promise<unknown>): Promise<void> {
  const samples: number[] = [];
  for (let i = 0; i < FLOOR; i++) {
    const t = performance.now();
    await op(i);
    samples.push(performance.now() - t);
  }
  floor.samples.set(name, samples);
}

async function measureFloor(env: SyncEnvironment, users: BenchUser[], parallel: number): Promise<Floor> {
  const { ad } = env.big;
  const floor: Floor = { samples: new Map(), parallelRate: Number.NaN };
  const dn = (i: number) => users[i % users.length]?.dn ?? '';
  const adminClient = async () => {
    const c = new Client({
      url: ad.ldapsUrl,
      timeout: 60_000,
      tlsOptions: { ca: [readFileSync(ad.caFile)] },
    });
    await c.bind(ad.adminDn, ad.adminPassword);
    return c;
  };
  // 1. ldapts bound once as Administrator: the bare reset, and the unlock write alone; then the
  //    bare reset on `parallel` connections at once (does the DC set passwords in parallel?).
  const admins = await Promise.all(Array.from({ length: Math.max(1, parallel) }, adminClient));
  try {
    const [admin] = admins;
    if (!admin) throw new Error('no LDAP client');
    await timeEach(floor, FLOOR_BARE, (i) =>
      admin.modify(dn(i), replace('unicodePwd', unicodePwd(newPassword()))),
    );
    await timeEach(floor, 'lockoutTime 0 write alone, bound once', (i) =>
      admin.modify(dn(i), replace('lockoutTime', '0')),
    );
    let next = 0;
    const t = performance.now();
    await Promise.all(
      admins.map(async (c) => {
        while (next < FLOOR) await c.modify(dn(next++), replace('unicodePwd', unicodePwd(newPassword())));
      }),
    );
    floor.parallelRate = FLOOR / ((performance.now() - t) / 1000);
  } finally {
    await Promise.all(admins.map((c) => c.unbind().catch(() => undefined)));
  }
  // 2. The agent's own code and service account: applyWritebackJob (anchor check, reset, unlock as
  //    the default policy asks) on a connection kept open, then as the worker runs a job (connect
  //    and bind, apply, close).
  const rt = await loadRuntime({ stateDir: env.agent.stateDir, log: pino({ level: 'silent' }) });
  const apply = async (conn: AdConnection, i: number) => {
    const user = users[i % users.length];
    if (!user) throw new Error('no user');
    const job: WritebackJob = {
      jobId: randomUUID(),
      configurationId: env.agent.configurationId,
      kind: 'password-reset',
      anchor: user.anchor,
      distinguishedName: user.dn,
      encrypted: 'unused.by.apply.job.here',
      unlockAccount: true,
      forceChangeAtNextLogon: false,
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
    };
    const result = await applyWritebackJob(conn, job, { jobId: job.jobId, newPassword: newPassword() });
    if (result.status !== 'succeeded') throw new Error(`floor reset refused: ${JSON.stringify(result)}`);
  };
  try {
    await timeEach(floor, 'agent connect + bind + close (service account)', async () => {
      const conn = await rt.cycleDeps.connectAd();
      await conn.close();
    });
    const open = await rt.cycleDeps.connectAd();
    try {
      await timeEach(floor, 'agent applyWritebackJob on an open connection', (i) => apply(open, i));
    } finally {
      await open.close().catch(() => undefined);
    }
    await timeEach(floor, FLOOR_PER_JOB, async (i) => {
      const conn = await rt.cycleDeps.connectAd();
      try {
        await apply(conn, i);
      } finally {
        await conn.close().catch(() => undefined);
      }
    });
  } finally {
    rt.close();
  }
  return floor;
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const t = performance.now();
  const env = await startSyncEnvironment({ users: USERS, groups: 0 }, args.ip, { passwordHashSync: true });
  let agent: AgentService | undefined;
  // Once, whoever asks first: the end of main, or Ctrl-C / SIGTERM (then main's own failures, as
  // the DC goes away under it, are expected and the exit code is 130).
  let stopping: Promise<void> | undefined;
  const stopAll = () =>
    (stopping ??= (async () => {
      await agent?.stop().catch((err: unknown) => console.error(`  stopping the agent: ${String(err)}`));
      await env.close();
      http.destroy();
    })());
  const onSignal = () => {
    interrupted = true;
    void stopAll().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const fx = env.agent.fx;
    const ad = env.big.ad;
    await withDomainRootAclLock(() =>
      enableWriteback({
        stateDir: env.agent.stateDir,
        adminUser: `admin@${fx.domain}`,
        adminPassword: ADMIN_PASSWORD,
        domainAdmin: ad.adminUpn,
        domainAdminPassword: ad.adminPassword,
        print: () => undefined,
      }),
    );
    agent = startAgentService(env.agent.stateDir);
    const running = agent;
    await poll('the first full cycle', () => running.cycles[0], 600_000, 200);
    const rows = await fx.cloud.store.db
      .selectFrom('users')
      .select(['id', 'user_principal_name', 'on_premises_distinguished_name', 'on_premises_immutable_id'])
      .where('on_premises_sam_account_name', 'like', 'bu%')
      .where('deleted_at', 'is', null)
      .execute();
    const users: BenchUser[] = rows
      .map((r) => ({
        n: Number(r.user_principal_name.slice(2, 8)),
        id: r.id,
        upn: r.user_principal_name,
        dn: r.on_premises_distinguished_name ?? '',
        anchor: r.on_premises_immutable_id ?? '',
      }))
      .sort((a, b) => a.n - b.n);
    if (users.length !== USERS) throw new Error(`${users.length} of ${USERS} users synced`);
    const secret = generateSecret();
    await fx.cloud.passwordReset.policies.update({ enabledFor: 'all' });
    for (const u of users)
      await fx.cloud.passwordReset.methods.set(u.id, { kind: 'authenticatorApp', value: secret });
    // The agent heartbeats at start: the cloud sees it active, so writeback jobs go to it.
    await poll(
      'the agent active',
      async () => {
        const list = await fx.cloud.cloudSync.registry.list();
        return list.some((a) => fx.cloud.cloudSync.registry.view(a).status === 'active') ? true : undefined;
      },
      60_000,
      200,
    );
    console.error(
      `• DC copy, cloud, agent with writeback ready in ${((performance.now() - t) / 1000).toFixed(0)} s`,
    );

    const floorLoad = load();
    const floor = await measureFloor(env, users, Math.max(...WIDTHS));
    console.error(`• floor: ${FLOOR} resets each way (load ${floorLoad})`);

    const lastPassword = new Map<string, string>();
    const phases: PhaseResult[] = [];
    for (const width of WIDTHS) {
      const phase = await resetPhase(env, running, users, secret, width, lastPassword);
      phases.push(phase);
      console.error(`• ${RESETS} resets at concurrency ${width} in ${phase.seconds.toFixed(1)} s`);
    }

    // The last reset of one user holds (checked before the floor resets it again): AD binds with it, and the cloud signs in with it.
    const [check] = users;
    const last = check && lastPassword.get(check.id);
    if (!check || !last) throw new Error('no reset to check');
    const bind = new Client({
      url: ad.ldapsUrl,
      timeout: 30_000,
      tlsOptions: { ca: [readFileSync(ad.caFile)] },
    });
    await bind.bind(check.dn, last);
    await bind.unbind();
    const token = await fetch(`${fx.url}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'password',
        client_id: 'cloudsync-cli',
        username: check.upn,
        password: last,
      }),
    });
    if (token.status !== 200) throw new Error(`the cloud refused the written-back password: ${token.status}`);

    // The floor again, after the phases (the DC's state and the machine's load have moved on).
    const floorAfter = await measureFloor(env, users, Math.max(...WIDTHS));

    // Floors before and after the phases, pooled: the machine's load moves within a run.
    const pooledP50 = (name: string) =>
      percentile([...(floor.samples.get(name) ?? []), ...(floorAfter.samples.get(name) ?? [])], 50);
    const bareP50 = pooledP50(FLOOR_BARE);
    const perJobP50 = pooledP50(FLOOR_PER_JOB);
    console.log(
      `Password writeback, Samba AD DC on ${ad.ip}, ${USERS} synced users, cloud on SQLite (in this process), agent service (child process)`,
    );
    for (const p of phases) {
      const samples = p.timed.map((x) => x.ms);
      console.log(
        `  self-service reset, concurrency ${p.width}, n=${samples.length}:  ${summary(samples)}; ${(samples.length / p.seconds).toFixed(1)} resets/s; p50 = ${(percentile(samples, 50) / bareP50).toFixed(1)}× the bare LDAP reset, ${(percentile(samples, 50) / perJobP50).toFixed(1)}× the agent's AD work per job (load ${p.loadBefore} → ${p.loadAfter}; ${p.agentCycles} agent cycles ran meanwhile)`,
      );
      for (const [what, values] of Object.entries(p.breakdown))
        console.log(
          `      ${what.padEnd(36)} p50 ${ms(percentile(values, 50))}, p95 ${ms(percentile(values, 95))} (n=${values.length})`,
        );
    }
    console.log(`  floor, n=${FLOOR} each, sequential unless said (load ${floorLoad} before the first):`);
    for (const [what, before] of floor.samples)
      console.log(
        `  ${what.padEnd(58)} before ${summary(before)}; after ${summary(floorAfter.samples.get(what) ?? [])}`,
      );
    console.log(
      `  ${`the bare reset on ${Math.max(...WIDTHS)} connections at once`.padEnd(58)} before ${floor.parallelRate.toFixed(1)} resets/s; after ${floorAfter.parallelRate.toFixed(1)} resets/s (sequential: ${(1000 / bareP50).toFixed(1)}/s at the p50)`,
    );
    console.log(
      `  checked: ${check.upn} binds to AD and signs in to the cloud with its last written-back password`,
    );
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await stopAll();
  }
}

let interrupted = false;
await main().catch(async (err: unknown) => {
  if (!interrupted) throw err;
  await new Promise(() => undefined); // the signal handler exits once everything is stopped
});
