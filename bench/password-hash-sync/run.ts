// Benchmark: password hash sync of a large directory end to end — the agent's first full cycle
// (objects, then NT hashes by MS-DRSR → PBKDF2 envelopes → the cloud, acknowledged) — beside, in the
// same run and on the same DC, the time Samba's own client (the reference oracle,
// ../shared/reference/drsr/dcsync_probe.py --mode nc) needs for the same replication, and the CPU
// floor of the same number of PBKDF2-HMAC-SHA256 ×1000 derivations on one thread and on node's pool.
// Prints figures; asserts nothing about time.
//
//   npm run bench:password-hash-sync -- [--users 10000] [--groups 1000] [--ip 127.0.0.41]
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { hashOfHash, hashOfHashSync } from '@cloudsync/protocol';
import pino from 'pino';
import { runCycle } from '../../packages/agent/src/cycle/run-cycle.js';
import { startSyncEnvironment } from '../fixtures/sync-environment.js';

const { values: args } = parseArgs({
  options: {
    users: { type: 'string', default: '10000' },
    groups: { type: 'string', default: '1000' },
    ip: { type: 'string', default: '127.0.0.41' },
  },
});
const USERS = Number(args.users);
const GROUPS = Number(args.groups);
const REFERENCE = new URL('../../../shared/reference/drsr/', import.meta.url);

/** Log lines of the cycle that mark its phases, with pino's own timestamps (ms). */
function phaseLogger() {
  const marks = new Map<string, number>();
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        // pino's JSON lines; their shape is pino's.
        const entry = JSON.parse(line) as { msg?: string; time?: number };
        if (entry.msg && entry.time && !marks.has(entry.msg)) marks.set(entry.msg, entry.time);
      }
      done();
    },
  });
  return { log: pino({ level: 'info' }, sink), marks };
}

/** Samba's own whole-domain replication with secrets, as Administrator (who holds both rights). */
function oracle(ip: string, adminPassword: string): number {
  const t0 = performance.now();
  const r = spawnSync(
    '/usr/bin/python3',
    [
      fileURLToPath(new URL('dcsync_probe.py', REFERENCE)),
      '-U',
      // The test DC's fixed Administrator password (packages/lab/src/samba), not a secret.
      `CORP\\Administrator%${adminPassword}`,
      '--target',
      ip,
      '--account',
      'bu000000',
      '--mode',
      'nc',
      '--conf',
      fileURLToPath(new URL('client.conf', REFERENCE)),
    ],
    { encoding: 'utf8', maxBuffer: 1 << 28 },
  );
  // Its output names hashes of --account: never printed.
  if (r.status !== 0) throw new Error(`oracle failed (${r.status}): ${r.stderr.slice(-2000)}`);
  return (performance.now() - t0) / 1000;
}

/** n PBKDF2 derivations exactly as an envelope needs them, on this thread. */
function pbkdf2SingleThread(n: number): number {
  const nt = randomBytes(16);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) hashOfHashSync(nt, randomBytes(10));
  return (performance.now() - t0) / 1000;
}

/** n envelopes derived on node's thread pool, all in flight at once (UV_THREADPOOL_SIZE, default 4). */
async function pbkdf2ThreadPool(n: number): Promise<number> {
  const nt = randomBytes(16);
  const t0 = performance.now();
  await Promise.all(Array.from({ length: n }, () => hashOfHash(nt)));
  return (performance.now() - t0) / 1000;
}

async function main(): Promise<void> {
  const t = performance.now();
  const env = await startSyncEnvironment({ users: USERS, groups: GROUPS }, args.ip, {
    passwordHashSync: true,
  });
  console.error(`• DC copy, cloud and agent ready in ${((performance.now() - t) / 1000).toFixed(0)} s`);
  try {
    const oracleBefore = oracle(args.ip, env.big.ad.adminPassword);
    console.error(`• oracle ${oracleBefore.toFixed(2)} s`);

    const { log, marks } = phaseLogger();
    const rt = await env.agent.runtime({ log });
    const configuration = await env.agent.configuration();
    const t0 = Date.now();
    const summary = await runCycle(rt.cycleDeps, configuration, { kind: 'full' });
    const t1 = Date.now();
    rt.close();
    if (summary.error) throw new Error(`the cycle failed: ${summary.error.code} ${summary.error.message}`);
    const objectsDone = marks.get('cycle pages sent') ?? Number.NaN;
    const hashesDone = marks.get('password hash sync done') ?? Number.NaN;
    const sent = summary.passwordHashes?.sent ?? 0;
    const failed = summary.passwordHashes?.failed ?? 0;
    console.error(`• cycle ${((t1 - t0) / 1000).toFixed(1)} s, ${sent} hashes`);

    const oracleAfter = oracle(args.ip, env.big.ad.adminPassword);
    const single = pbkdf2SingleThread(USERS);
    const pool = await pbkdf2ThreadPool(USERS);

    const phs = (hashesDone - objectsDone) / 1000;
    const oracleBest = Math.min(oracleBefore, oracleAfter);
    console.log(
      `Password hash sync, Samba AD DC on ${env.big.ad.ip}, ${USERS} users with a password (+ ${GROUPS} groups); cloud on SQLite, in the bench process`,
    );
    console.log(
      `  first full cycle (objects + hashes):       ${((t1 - t0) / 1000).toFixed(1)} s; objects ${((objectsDone - t0) / 1000).toFixed(1)} s, then hashes ${phs.toFixed(1)} s`,
    );
    console.log(
      `  password hash sync (replicate → envelopes acknowledged): ${sent} hashes (${failed} failed) in ${phs.toFixed(2)} s = ${(sent / phs).toFixed(0)} hashes/s`,
    );
    console.log(
      `  Samba oracle, whole domain with secrets:   ${oracleBefore.toFixed(2)} s before, ${oracleAfter.toFixed(2)} s after (same DC, same run); PHS / oracle = ${(phs / oracleBest).toFixed(1)}×`,
    );
    console.log(
      `  PBKDF2-HMAC-SHA256 ×1000, ${USERS} derivations: one thread ${single.toFixed(2)} s = ${(USERS / single).toFixed(0)}/s; thread pool ${pool.toFixed(2)} s = ${(USERS / pool).toFixed(0)}/s (${availableParallelism()} cores)`,
    );
  } finally {
    await env.close();
  }
}

await main();
