// The agent through failures, against the real DC and a real cloud: killed mid-cycle, cloud away,
// AD away, and a change that arrives by notification rather than by the 2-minute schedule.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type Relay, startRelay } from '../../../packages/agent/src/ad/testing/relay.js';
import { runCycle } from '../../../packages/agent/src/cycle/run-cycle.js';
import { runService } from '../../../packages/agent/src/service/run-service.js';
import { readStatus } from '../../../packages/agent/src/service/status.js';
import { sendHttp } from '../../../packages/agent/src/uplink/http.js';
import { adFromEnv, createUser } from '../../support/ad.js';
import { type AgentFixture, agentLog, eventually, startAgentFixture } from './agent-fixture.js';

let a: AgentFixture;
const BIN = fileURLToPath(new URL('../../../bin/cloudsync.mjs', import.meta.url));

before(async () => {
  a = await startAgentFixture({ passwordHashSync: false });
});
after(() => a?.close());

async function syncedCount(): Promise<number> {
  const res = await a.fx.call('GET', '/v1.0/users?$filter=onPremisesSyncEnabled eq true&$count=true&$top=1');
  assert.equal(res.status, 200, res.text);
  return Number((res.body as { '@odata.count': number })['@odata.count']);
}

/** Starts `cloudsync agent run`; `killAfterPages` SIGKILLs it as soon as that many pages were acknowledged. */
function startAgentProcess(killAfterPages?: number): { child: ChildProcess; lines: string[] } {
  const child = spawn(
    process.execPath,
    [
      BIN,
      'agent',
      'run',
      '--state-dir',
      a.stateDir,
      '--no-watch',
      '--heartbeat-seconds',
      '1',
      '--schedule-seconds',
      '1',
      '--reconcile-seconds',
      '0',
      '--page-size',
      '1',
      '--log-level',
      'debug',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const lines: string[] = [];
  let pages = 0;
  child.stdout?.on('data', (c: Buffer) => {
    const got = c.toString().split('\n').filter(Boolean);
    lines.push(...got);
    pages += got.filter((l) => l.includes('page acknowledged')).length;
    if (killAfterPages !== undefined && pages >= killAfterPages) child.kill('SIGKILL');
  });
  child.stderr?.on('data', (c: Buffer) => lines.push(...c.toString().split('\n').filter(Boolean)));
  return { child, lines };
}

test('killed mid-cycle, then restarted: every object arrives once, none lost or duplicated', async () => {
  const users = [];
  for (let i = 0; i < 30; i++)
    users.push(await createUser({ ou: a.ou, sam: 'kill', displayName: `Kill ${i}` }));
  const first = startAgentProcess(3);
  await once(first.child, 'exit');
  assert.ok(
    !first.lines.some((l) => l.includes('cycle pages sent')),
    'the process died before the cycle ended (pages of 1 change, 30 users)',
  );
  const second = startAgentProcess();
  try {
    await eventually(
      async () => (second.lines.some((l) => l.includes('"cycleState":"accepted"')) ? true : undefined),
      'an accepted cycle after the restart',
    );
    assert.ok(
      second.lines.some((l) => l.includes('interrupted')),
      'the restart noticed the unfinished cycle',
    );
    assert.equal(await syncedCount(), users.length, 'each user exactly once');
    for (const u of users) assert.ok(await a.cloudUser(`${u.sam}@${a.fx.domain}`), u.sam);
  } finally {
    second.child.kill('SIGTERM');
    const [code] = await once(second.child, 'exit');
    assert.equal(code, 0, 'SIGTERM stops the agent cleanly');
  }
});

test('cloud away for a while: the agent keeps trying and catches up', async () => {
  const relay: Relay = await startRelay(a.fx.url, '127.0.0.1');
  const relayUrl = relay.url.replace('ldaps:', 'http:');
  const stop = new AbortController();
  const service = runService({
    stateDir: a.stateDir,
    log: agentLog(),
    signal: stop.signal,
    heartbeatMs: 500,
    scheduleMs: 1000,
    watch: false,
    reconcileMinIntervalMs: 0,
    // Through the relay, with the cloud's own Host header: the token endpoint checks the client
    // assertion's audience against the URL it was called at.
    send: (req) =>
      sendHttp({
        ...req,
        url: req.url.replace(a.fx.url, relayUrl),
        headers: { ...req.headers, host: new URL(a.fx.url).host },
      }),
  });
  try {
    await relay.cut();
    const late = await createUser({ ou: a.ou, sam: 'late', displayName: 'Late Arrival' });
    await new Promise((r) => setTimeout(r, 3000));
    assert.equal(
      await a.cloudUser(`${late.sam}@${a.fx.domain}`),
      undefined,
      'nothing reached the cloud meanwhile',
    );
    await relay.resume();
    await eventually(
      () => a.cloudUser(`${late.sam}@${a.fx.domain}`),
      'the user created while the cloud was away',
    );
  } finally {
    stop.abort();
    await service;
    await relay.close();
  }
});

test('AD unreachable: a clear error in the status, and recovery afterwards', async () => {
  const ad = adFromEnv();
  const relay = await startRelay(ad.ldapsUrl, ad.ip);
  const rt = await a.runtime({ adUrl: relay.url });
  try {
    const configuration = await a.configuration();
    await relay.cut();
    const failed = await runCycle(rt.cycleDeps, configuration);
    assert.equal(failed.error?.code, 'AD_UNREACHABLE', JSON.stringify(failed));
    const status = await readStatus(a.stateDir);
    assert.equal(status.lastCycles[0]?.error?.code, 'AD_UNREACHABLE');
    assert.match(status.lastCycles[0]?.error?.message ?? '', /did not answer/);
    await relay.resume();
    const recovered = await runCycle(rt.cycleDeps, configuration);
    assert.equal(recovered.error, undefined, JSON.stringify(recovered));
    assert.equal(recovered.state, 'accepted');
  } finally {
    rt.close();
    await relay.close();
  }
});

test('a change notification brings a new user to the cloud without waiting for the schedule', async () => {
  const stop = new AbortController();
  const service = runService({
    stateDir: a.stateDir,
    log: agentLog(),
    signal: stop.signal,
    heartbeatMs: 1000,
    scheduleMs: 60 * 60 * 1000,
    notificationDebounceMs: 500,
    watch: true,
    reconcileMinIntervalMs: 0,
  });
  try {
    // The service runs one cycle at start; wait for it so the next one can only come from a notification.
    const before = (await readStatus(a.stateDir)).lastCycles[0]?.cycleId;
    await eventually(async () => {
      const last = (await readStatus(a.stateDir)).lastCycles[0];
      return last && last.cycleId !== before && last.endedAt ? true : undefined;
    }, 'the start-up cycle');
    const fresh = await createUser({ ou: a.ou, sam: 'notify', displayName: 'Notified' });
    await eventually(
      () => a.cloudUser(`${fresh.sam}@${a.fx.domain}`),
      'the user, through a notification',
      90_000,
    );
  } finally {
    stop.abort();
    await service;
  }
});
