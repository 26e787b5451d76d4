// Two real agents serving one domain, against the real DC and a real cloud whose cycle lease lives
// 3 seconds (so a takeover is seen in seconds rather than minutes): one cycle at a time, the survivor
// takes over from an agent that died mid-cycle, and an agent whose cloud was away for longer than a
// lease carries on by itself. Pages of one change, so a cycle spans many requests.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Relay, startRelay } from '../../../packages/agent/src/ad/testing/relay.js';
import { runService } from '../../../packages/agent/src/service/run-service.js';
import { readStatus } from '../../../packages/agent/src/service/status.js';
import { openLocalStore, type StoredCursor } from '../../../packages/agent/src/state/local-store.js';
import { type HttpRequest, sendHttp } from '../../../packages/agent/src/uplink/http.js';
import type { SyncIngestTables } from '../../../packages/cloud/src/sync-ingest/schema.js';
import { createUser } from '../../support/ad.js';
import { type AgentFixture, agentLog, eventually, startAgentFixture } from './agent-fixture.js';

const LEASE_MS = 3000;

let a: AgentFixture;
/** The two agents' state directories (both installed by the wizard for the same domain). */
let dirs: [string, string];

before(async () => {
  a = await startAgentFixture({ passwordHashSync: false, leaseTtlMs: LEASE_MS });
  dirs = [a.stateDir, await a.installAnotherAgent()];
});
after(() => a?.close());

interface RunningAgent {
  name: string;
  /** Cycle ids this agent sent pages for, with the number of pages the cloud acknowledged. */
  cycles: Map<string, number>;
  /** Stops it the way a crash looks to the cloud: no request of it reaches the cloud any more. */
  kill(): Promise<void>;
  /** A clean stop (SIGTERM). */
  stop(): Promise<void>;
}

const PAGE_PATH = /\/agent\/v1\/cycles\/([^/]+)\/pages$/;

/**
 * Runs `runService` on `stateDir`: heartbeats every 500 ms, a cycle every second, pages of one change.
 * `onPage` sees every acknowledged page (its request body and cycle id); `via` routes the agent's
 * requests through a relay.
 */
function startAgent(
  name: string,
  stateDir: string,
  options: { onPage?: (agent: RunningAgent, cycleId: string, body: string) => void; via?: string } = {},
): RunningAgent {
  const stopper = new AbortController();
  let dead = false;
  const cloud = new URL(a.fx.url);
  const route = (req: HttpRequest): HttpRequest =>
    options.via
      ? // The cloud's own Host header: the token endpoint checks the assertion's audience against it.
        { ...req, url: req.url.replace(a.fx.url, options.via), headers: { ...req.headers, host: cloud.host } }
      : req;
  const agent: RunningAgent = {
    name,
    cycles: new Map(),
    async kill() {
      dead = true;
      stopper.abort();
      await done;
    },
    async stop() {
      stopper.abort();
      await done;
    },
  };
  const done = runService({
    stateDir,
    log: agentLog().child({ agent: name }),
    signal: stopper.signal,
    heartbeatMs: 500,
    scheduleMs: 1000,
    watch: false,
    reconcileMinIntervalMs: 0,
    pageSize: 1,
    async send(req) {
      if (dead) throw new Error(`${name} is dead`);
      const res = await sendHttp(route(req));
      if (dead) throw new Error(`${name} is dead`);
      const cycleId = PAGE_PATH.exec(new URL(req.url).pathname)?.[1];
      if (cycleId && req.method === 'POST' && res.status < 300) {
        agent.cycles.set(cycleId, (agent.cycles.get(cycleId) ?? 0) + 1);
        options.onPage?.(agent, cycleId, req.body ?? '');
      }
      return res;
    },
  });
  return agent;
}

function ingestDb() {
  return a.fx.cloud.store.db.withTables<SyncIngestTables>();
}

/** The cloud's cycle records of the configuration, oldest first, each with when its last page arrived. */
async function cloudCycles() {
  const rows = await ingestDb()
    .selectFrom('sync_cycles')
    .select(['id', 'agent_id', 'state', 'started_at', 'ended_at'])
    .where('configuration_id', '=', a.configurationId)
    .orderBy('started_at')
    .execute();
  const pages = await ingestDb()
    .selectFrom('sync_cycle_pages')
    .select(['cycle_id', 'received_at'])
    .where(
      'cycle_id',
      'in',
      rows.map((r) => r.id),
    )
    .execute();
  return rows.map((r) => {
    const received = pages.filter((p) => p.cycle_id === r.id).map((p) => p.received_at);
    const lastPage = received.sort().at(-1);
    return { ...r, lastPage, lastSeen: r.ended_at ?? lastPage ?? r.started_at };
  });
}

/** No cycle started before the previous one ended (or, if it never ended, sent its last page). */
function assertNoOverlap(cycles: Awaited<ReturnType<typeof cloudCycles>>): void {
  for (let i = 1; i < cycles.length; i++) {
    const prev = cycles[i - 1];
    const next = cycles[i];
    assert.ok(prev && next);
    assert.ok(
      next.started_at >= prev.lastSeen,
      `cycle ${next.id} (${next.agent_id}) started at ${next.started_at}, before ${prev.id} (${prev.agent_id}) ended at ${prev.lastSeen}`,
    );
  }
}

/** Every user of the configuration is in the cloud once: one sync object, one cloud user, one Create. */
async function assertEachUserOnce(sams: readonly string[]): Promise<void> {
  const objects = await ingestDb()
    .selectFrom('sync_objects')
    .select(['anchor', 'cloud_id', 'distinguished_name'])
    .where('configuration_id', '=', a.configurationId)
    .where('object_type', '=', 'user')
    .execute();
  assert.equal(objects.length, sams.length, 'one sync object a user');
  assert.equal(new Set(objects.map((o) => o.cloud_id)).size, sams.length, 'one cloud user a sync object');
  for (const sam of sams) {
    const mine = objects.filter((o) => o.distinguished_name?.toLowerCase().startsWith(`cn=${sam},`));
    assert.equal(mine.length, 1, `${sam}: one sync object`);
    const user = await a.cloudUser(`${sam}@${a.fx.domain}`);
    assert.equal(user?.id, mine[0]?.cloud_id, `${sam}: the cloud user is the synced one`);
  }
  const creates = await ingestDb()
    .selectFrom('provisioning_logs')
    .select(['source_anchor', 'status'])
    .where('configuration_id', '=', a.configurationId)
    .where('action', '=', 'Create')
    .where('object_type', '=', 'user')
    .execute();
  const perAnchor = new Map<string, number>();
  for (const c of creates) perAnchor.set(c.source_anchor, (perAnchor.get(c.source_anchor) ?? 0) + 1);
  assert.deepEqual(
    [...perAnchor.entries()].filter(([, n]) => n !== 1),
    [],
    'no anchor was created twice',
  );
  assert.deepEqual([...perAnchor.keys()].sort(), objects.map((o) => o.anchor).sort(), 'one Create a user');
}

async function usersOf(prefix: string, count: number): Promise<string[]> {
  const sams: string[] = [];
  for (let i = 0; i < count; i++)
    sams.push((await createUser({ ou: a.ou, sam: prefix, displayName: `${prefix} ${i}` })).sam);
  return sams;
}

const allIn = (sams: readonly string[]) => async () => {
  for (const sam of sams) if (!(await a.cloudUser(`${sam}@${a.fx.domain}`))) return undefined;
  return true;
};

/** Users of every test so far (the OU is shared). */
const everyone: string[] = [];

test('two agents take turns, and the survivor takes over from one killed mid-cycle', async () => {
  everyone.push(...(await usersOf('duo', 3)));
  const fresh = await usersOf('takeover', 12);
  let victim: { agent: RunningAgent; cycleId: string } | undefined;
  let killing: Promise<void> | undefined;
  const onPage = (agent: RunningAgent, cycleId: string, body: string) => {
    // The third page carrying a new user: this agent holds the lease, mid-cycle. It dies.
    if (killing || !fresh.some((sam) => body.includes(sam))) return;
    if ((agent.cycles.get(cycleId) ?? 0) < 3) return;
    victim = { agent, cycleId };
    killing = agent.kill();
  };
  const agents = [startAgent('one', dirs[0], { onPage }), startAgent('two', dirs[1], { onPage })];
  try {
    await eventually(async () => (killing ? true : undefined), 'an agent killed mid-cycle');
    await killing;
    assert.ok(victim);
    const survivor = agents.find((x) => x !== victim?.agent);
    assert.ok(survivor);
    everyone.push(...fresh);
    await eventually(allIn(everyone), 'every user, through the survivor');
    // The survivor's cycle that brought them ends accepted.
    await eventually(async () => {
      const cycles = await cloudCycles();
      return cycles.some(
        (c) =>
          survivor.cycles.has(c.id) &&
          c.state === 'accepted' &&
          c.started_at > (cycles.find((k) => k.id === victim?.cycleId)?.started_at ?? ''),
      )
        ? true
        : undefined;
    }, 'an accepted cycle of the survivor after the kill');
  } finally {
    await Promise.all(agents.map((x) => x.stop()));
  }

  const cycles = await cloudCycles();
  assertNoOverlap(cycles);
  const killed = cycles.find((c) => c.id === victim?.cycleId);
  assert.ok(killed, 'the cloud recorded the killed cycle');
  assert.equal(killed.state, 'open', 'the killed cycle never ended');
  const takeover = cycles.find((c) => c.started_at > killed.started_at);
  assert.ok(takeover, 'a cycle after the killed one');
  assert.notEqual(takeover.agent_id, killed.agent_id, 'the other agent took over');
  assert.ok(killed.lastPage);
  assert.ok(
    Date.parse(takeover.started_at) >= Date.parse(killed.lastPage) + LEASE_MS,
    `the takeover (${takeover.started_at}) waited for the lease to expire (last page ${killed.lastPage})`,
  );
  await assertEachUserOnce(everyone);
});

test('cloud away mid-cycle for longer than a lease: the agent carries on by itself, nothing lost or doubled', async () => {
  const relay: Relay = await startRelay(a.fx.url, '127.0.0.1');
  const via = relay.url.replace('ldaps:', 'http:');
  const store = openLocalStore(dirs[1]);
  const fresh = await usersOf('away', 10);
  let cut: { cycleId: string; cursor: StoredCursor | undefined; done: Promise<void> } | undefined;
  const agent = startAgent('two', dirs[1], {
    via,
    onPage(agentNow, cycleId, body) {
      if (cut || !fresh.some((sam) => body.includes(sam)) || (agentNow.cycles.get(cycleId) ?? 0) < 3) return;
      cut = { cycleId, cursor: store.cursor(a.configurationId), done: relay.cut() };
    },
  });
  try {
    await eventually(async () => cut, 'the link cut mid-cycle');
    assert.ok(cut);
    await cut.done;
    // Down past the lease: the cloud's lease of the cycle expires.
    await eventually(async () => {
      const lease = await a.fx.cloud.cloudSync.leases.leaseOf(a.configurationId);
      return lease && Date.parse(lease.expiresAt) + LEASE_MS < Date.now() ? lease : undefined;
    }, 'the lease expired a lease ago');
    assert.notEqual(cut.cursor?.lastCycleId, cut.cycleId, 'the cursor was not from the cut cycle');
    assert.deepEqual(store.cursor(a.configurationId), cut.cursor, 'the cursor did not move while away');
    const open = (await cloudCycles()).find((c) => c.id === cut?.cycleId);
    assert.equal(open?.state, 'open', 'the cut cycle has not ended in the cloud');
    await relay.resume();
    everyone.push(...fresh);
    await eventually(allIn(everyone), 'every user once the cloud is back');
    await eventually(async () => {
      const cursor = store.cursor(a.configurationId);
      return cursor && cursor.lastCycleId !== cut?.cursor?.lastCycleId ? cursor : undefined;
    }, 'the cursor advanced after an acknowledged cycle');
  } finally {
    await agent.stop();
    await relay.close();
  }
  const moved = store.cursor(a.configurationId);
  store.close();
  const cycles = await cloudCycles();
  assertNoOverlap(cycles);
  const advancedBy = cycles.find((c) => c.id === moved?.lastCycleId);
  assert.equal(advancedBy?.state, 'accepted', 'the cursor moved on an accepted cycle');
  const status = await readStatus(dirs[1]);
  assert.ok(
    status.lastCycles.some((c) => c.state === 'accepted' && c.cycleId === advancedBy?.id),
    JSON.stringify(status.lastCycles.slice(0, 3)),
  );
  await assertEachUserOnce(everyone);
});
