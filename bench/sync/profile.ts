// Profiles an initial sync: the agent service (a child process, `node --cpu-prof`) and the cloud (in
// this process, through the inspector, for the length of the full cycle), against a copy of the large
// directory. Writes both `.cpuprofile` files and prints where each process spent its time.
//
//   node --import tsx bench/sync/profile.ts [--users 2000] [--groups 200] [--ip 127.0.0.41] [--out /tmp/sync-prof]
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startSyncEnvironment } from '../fixtures/sync-environment.js';
import { cycleAfter, cycleSeconds, startAgent } from './agent-process.js';
import { printSummary } from './profile-summary.js';

const { values: args } = parseArgs({
  options: {
    users: { type: 'string', default: '2000' },
    groups: { type: 'string', default: '200' },
    ip: { type: 'string', default: '127.0.0.41' },
    out: { type: 'string', default: '/tmp/cloudsync-sync-profile' },
  },
});
const out = args.out;
mkdirSync(out, { recursive: true });

const env = await startSyncEnvironment({ users: Number(args.users), groups: Number(args.groups) }, args.ip, {
  passwordHashSync: false,
});
// How long the cloud takes to apply each page and the end marker (its own calls, timed in place).
const ingest = env.agent.fx.cloud.syncIngest;
const applied = { pages: [] as number[], end: 0 };
const { handlePage, handleEnd } = ingest;
ingest.handlePage = async (...a) => {
  const t = performance.now();
  try {
    return await handlePage(...a);
  } finally {
    applied.pages.push((performance.now() - t) / 1000);
  }
};
ingest.handleEnd = async (...a) => {
  const t = performance.now();
  try {
    return await handleEnd(...a);
  } finally {
    applied.end += (performance.now() - t) / 1000;
  }
};
const session = new Session();
session.connect();
const agentDir = join(out, `agent-${Date.now()}`);
/** When the agent logged each page's acknowledgement and the end of its pages (epoch ms). */
const marks: Array<{ msg: string; time: number }> = [];
const agent = startAgent(env.agent.stateDir, {
  nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${agentDir}`],
  logLevel: 'debug',
  onLog: (e) => {
    if ((e.msg === 'page acknowledged' || e.msg === 'cycle pages sent') && e.time)
      marks.push({ msg: e.msg, time: e.time });
  },
});
try {
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
  const full = await cycleAfter(agent, 0, 60 * 60_000);
  const { profile } = await session.post('Profiler.stop');
  const cloudFile = join(out, `cloud-${Date.now()}.cpuprofile`);
  writeFileSync(cloudFile, JSON.stringify(profile));
  const objects = (full.counts?.upserts ?? 0) + (full.counts?.unchanged ?? 0);
  console.log(
    `full cycle: ${objects} objects in ${cycleSeconds(full).toFixed(1)} s = ${(objects / cycleSeconds(full)).toFixed(0)} objects/s, ${full.pages ?? '?'} pages, state ${full.state}${full.error ? ` (${full.error.code})` : ''}`,
  );
  await agent.stop();
  const start = Date.parse(full.startedAt);
  const acks = marks.filter((m) => m.msg === 'page acknowledged').map((m) => (m.time - start) / 1000);
  const gaps = acks.slice(1).map((t, i) => t - (acks[i] ?? t));
  const sent = marks.find((m) => m.msg === 'cycle pages sent');
  console.log(
    `timeline (s from the cycle's start): first page acknowledged ${acks[0]?.toFixed(1)}, last ${acks.at(-1)?.toFixed(1)} (between pages: median ${gaps.sort((a, b) => a - b)[Math.floor(gaps.length / 2)]?.toFixed(2)}, max ${Math.max(...gaps).toFixed(2)}); end marker acknowledged and cursors committed ${sent ? ((sent.time - start) / 1000).toFixed(1) : '?'}; cycle done ${cycleSeconds(full).toFixed(1)}`,
  );
  const sum = applied.pages.reduce((t, x) => t + x, 0);
  console.log(
    `cloud: ${applied.pages.length} pages applied in ${sum.toFixed(1)} s (${(sum / applied.pages.length).toFixed(2)} s a page), end marker ${applied.end.toFixed(1)} s`,
  );
  // The profile's shape is V8's, as printSummary reads it.
  printSummary('cloud (bench process, during the cycle)', profile as Parameters<typeof printSummary>[1]);
  for (const f of readdirSync(agentDir)) {
    const file = join(agentDir, f);
    printSummary(`agent (${file})`, JSON.parse(readFileSync(file, 'utf8')));
  }
  console.log(`\nprofiles: ${cloudFile}, ${agentDir}/`);
} finally {
  session.disconnect();
  await agent.stop();
  await env.close();
}
