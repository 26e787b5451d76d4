// Benchmark: initial sync of a large directory (10,000 users with passwords, 1,000 groups) through
// the real agent service (`cloudsync agent run`, a child process) into a real cloud (SQLite), beside
// a paged `ldapsearch` export of the same objects and attributes from the same DC in the same run;
// then a delta cycle with 10 changes, and change-to-cloud latency with change notification.
// Prints figures; asserts nothing about time.
//
//   npm run bench:sync -- [--users 10000] [--groups 1000] [--ip 127.0.0.41] [--latency 20] [--delta 10]
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { Attribute, Change, Client } from 'ldapts';
import { SYNC_ATTRIBUTES, SYNC_FILTER } from '../../packages/agent/src/ad/attributes.js';
import {
  peakRssMiB,
  percentile,
  poll,
  type SyncEnvironment,
  startSyncEnvironment,
} from '../fixtures/sync-environment.js';
import {
  type AgentProcess,
  cycleAfter,
  cycleSeconds as seconds,
  startAgent,
  treeCpuSeconds,
} from './agent-process.js';

const { values: args } = parseArgs({
  options: {
    users: { type: 'string', default: '10000' },
    groups: { type: 'string', default: '1000' },
    ip: { type: 'string', default: '127.0.0.41' },
    latency: { type: 'string', default: '20' },
    delta: { type: 'string', default: '10' },
  },
});
const USERS = Number(args.users);
const GROUPS = Number(args.groups);
const LATENCY_CHANGES = Number(args.latency);
const DELTA_CHANGES = Math.min(Number(args.delta), USERS);

/** `ldapsearch -E pr=1000/noprompt` over LDAPS of OU=bench, the agent's filter and attributes. */
function ldapsearchExport(env: SyncEnvironment): { seconds: number; objects: number } {
  const { ad } = env.big;
  const t0 = performance.now();
  // The password reaches ldapsearch through a pipe (`-y <(…)`), never in argv or a file.
  const r = spawnSync(
    'bash',
    [
      '-c',
      'exec ldapsearch "$@" -y <(printf %s "$LDAP_PASSWORD")',
      'ldapsearch',
      '-LLL',
      '-o',
      'ldif-wrap=no',
      '-H',
      ad.ldapsUrl,
      '-x',
      '-D',
      ad.adminDn,
      '-b',
      env.big.ou,
      '-E',
      'pr=1000/noprompt',
      SYNC_FILTER,
      ...SYNC_ATTRIBUTES,
    ],
    {
      env: { ...process.env, LDAPTLS_CACERT: ad.caFile, LDAP_PASSWORD: ad.adminPassword },
      maxBuffer: 1 << 30,
      encoding: 'utf8',
    },
  );
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`ldapsearch failed (${r.status}): ${r.stderr}`);
  const objects = r.stdout.split('\n').filter((l) => l.startsWith('dn: ')).length;
  return { seconds, objects };
}

async function cloudDisplayName(env: SyncEnvironment, n: number): Promise<string | undefined> {
  const user = await env.agent.cloudUser(env.cloudUpn(n));
  return typeof user?.displayName === 'string' ? user.displayName : undefined;
}

async function cloudCount(env: SyncEnvironment, what: 'users' | 'groups'): Promise<number> {
  const res = await env.agent.fx.call('GET', `/v1.0/${what}?$count=true&$top=1&$select=id`, {
    headers: { ConsistencyLevel: 'eventual' },
  });
  const count = (res.body as { '@odata.count'?: number } | undefined)?.['@odata.count'];
  return typeof count === 'number' ? count : Number.NaN;
}

async function main(): Promise<void> {
  const t = performance.now();
  const env = await startSyncEnvironment({ users: USERS, groups: GROUPS }, args.ip, {
    passwordHashSync: false,
  });
  console.error(`• DC copy, cloud and agent ready in ${((performance.now() - t) / 1000).toFixed(0)} s`);
  const admin = new Client({
    url: env.big.ad.ldapsUrl,
    timeout: 60_000,
    tlsOptions: { rejectUnauthorized: false },
  });
  let agent: AgentProcess | undefined;
  try {
    await admin.bind(env.big.ad.adminDn, env.big.ad.adminPassword);
    const before = ldapsearchExport(env);
    console.error(`• ldapsearch export: ${before.objects} objects in ${before.seconds.toFixed(2)} s`);

    const cloudCpu0 = process.cpuUsage();
    const dcCpu0 = treeCpuSeconds(env.big.dc.pid);
    agent = startAgent(env.agent.stateDir);
    const full = await cycleAfter(agent, 0, 60 * 60_000);
    // CPU seconds of each part from the agent's start to the end of its full cycle (less sensitive to
    // other work on the machine than wall time; the agent's include its start-up).
    const cloudCpu = process.cpuUsage(cloudCpu0);
    const cpu = {
      agent: treeCpuSeconds(agent.pid),
      cloud: (cloudCpu.user + cloudCpu.system) / 1e6,
      dc: treeCpuSeconds(env.big.dc.pid) - dcCpu0,
    };
    if (full.error) throw new Error(`the full cycle failed: ${full.error.code} ${full.error.message}`);
    const users = await cloudCount(env, 'users');
    const groups = await cloudCount(env, 'groups');
    const after = ldapsearchExport(env);
    console.error(
      `• full cycle ${seconds(full).toFixed(1)} s; ldapsearch again ${after.seconds.toFixed(2)} s`,
    );

    // A quiet moment: the full cycle's own tail (and any notification it caused) ends first.
    await new Promise((r) => setTimeout(r, 5000));
    const settled = agent.cycles.length;
    const stamp = Date.now().toString(36);
    const t0 = performance.now();
    for (let n = 0; n < DELTA_CHANGES; n++) {
      await admin.modify(
        env.big.userDn(n),
        new Change({
          operation: 'replace',
          modification: new Attribute({ type: 'displayName', values: [`Delta ${stamp} ${n}`] }),
        }),
      );
    }
    await poll(
      'the delta changes in the cloud',
      async () =>
        (await cloudDisplayName(env, DELTA_CHANGES - 1)) === `Delta ${stamp} ${DELTA_CHANGES - 1}`
          ? true
          : undefined,
      300_000,
      100,
    );
    const deltaVisible = (performance.now() - t0) / 1000;
    const deltaCycle = await cycleAfter(agent, settled, 120_000);

    const latencies: number[] = [];
    for (let i = 0; i < LATENCY_CHANGES; i++) {
      const n = (DELTA_CHANGES + i) % USERS;
      const value = `Latency ${stamp} ${i}`;
      const done = agent.cycles.length;
      const s0 = performance.now();
      await admin.modify(
        env.big.userDn(n),
        new Change({
          operation: 'replace',
          modification: new Attribute({ type: 'displayName', values: [value] }),
        }),
      );
      await poll(
        'a change in the cloud',
        async () => ((await cloudDisplayName(env, n)) === value ? true : undefined),
        300_000,
        25,
      );
      latencies.push(performance.now() - s0);
      // The next change starts once the cycle that carried this one has ended.
      await cycleAfter(agent, done, 120_000);
    }
    const peak = peakRssMiB(agent.pid);

    const objects = (full.counts?.upserts ?? 0) + (full.counts?.unchanged ?? 0);
    const fullSeconds = seconds(full);
    const ldapRate = after.objects / after.seconds;
    console.log(
      `Sync, Samba AD DC on ${env.big.ad.ip}, ${USERS} users (with passwords) + ${GROUPS} groups in OU=bench; cloud on SQLite`,
    );
    console.log(
      `  initial sync (full cycle, agent service):  ${objects} objects in ${fullSeconds.toFixed(1)} s = ${(objects / fullSeconds).toFixed(0)} objects/s; cloud then lists ${users} users (with its admin), ${groups} groups`,
    );
    console.log(
      `  CPU during it (agent start → cycle end):   agent ${cpu.agent.toFixed(1)} s (with its start-up), cloud ${cpu.cloud.toFixed(1)} s, DC ${cpu.dc.toFixed(1)} s; load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    console.log(
      `  ldapsearch -E pr=1000 over LDAPS:          ${after.objects} objects in ${after.seconds.toFixed(2)} s = ${ldapRate.toFixed(0)} objects/s (before the sync: ${before.seconds.toFixed(2)} s)`,
    );
    console.log(
      `  ratio sync / ldapsearch export:            ${(objects / fullSeconds / ldapRate).toFixed(3)} (the export is ${(fullSeconds / after.seconds).toFixed(1)}× faster; ${(fullSeconds / before.seconds).toFixed(1)}× against the run before the sync)`,
    );
    console.log(
      `  delta cycle, ${DELTA_CHANGES} changes:                  cycle ${seconds(deltaCycle).toFixed(2)} s (${deltaCycle.counts?.upserts ?? '?'} upserts); first change to last visible in the cloud ${deltaVisible.toFixed(2)} s`,
    );
    console.log(
      `  change → cloud with notification (n=${latencies.length}):   p50 ${(percentile(latencies, 50) / 1000).toFixed(2)} s, p95 ${(percentile(latencies, 95) / 1000).toFixed(2)} s, max ${(Math.max(...latencies) / 1000).toFixed(2)} s (agent debounce 3 s)`,
    );
    console.log(`  agent peak RSS (VmHWM):                    ${peak.toFixed(0)} MiB`);
  } finally {
    await agent?.stop();
    await admin.unbind().catch(() => undefined);
    await env.close();
  }
}

await main();
