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
const session = new Session();
session.connect();
const agentDir = join(out, `agent-${Date.now()}`);
const agent = startAgent(env.agent.stateDir, ['--cpu-prof', `--cpu-prof-dir=${agentDir}`]);
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
