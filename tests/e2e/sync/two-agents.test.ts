// Two real agents serving one domain, against the real DC and a real cloud whose cycle lease lives
// 3 seconds (so a takeover is seen in seconds rather than minutes): one cycle at a time, the survivor
// takes over from an agent that died mid-cycle, an agent whose cloud was away for longer than a lease
// carries on by itself, or, when the other took over meanwhile, drops its cycle and syncs again from
// its unmoved cursor. Pages of one change, so a cycle spans many requests.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startRelay } from '../../../packages/agent/src/ad/testing/relay.js';
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

/**
 * No cycle started before the previous one ended (or, if it never ended, sent its last page). Open
 * cycles without a page applied nothing and are left out.
 */
function assertNoOverlap(all: Awaited<ReturnType<typeof cloudCycles>>): void {
  const cycles = all.filter((c) => c.state !== 'open' || c.lastPage);
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

/** A page hook that calls `act` once: on a cycle's third acknowledged page, if it carries one of `sams`. */
function onThirdPageOf(sams: readonly string[], act: (agent: RunningAgent, cycleId: string) => void) {
  let fired = false;
  return (agent: RunningAgent, cycleId: string, body: string) => {
    if (fired || !sams.some((sam) => body.includes(sam)) || (agent.cycles.get(cycleId) ?? 0) < 3) return;
    fired = true;
    act(agent, cycleId);
  };
}

/** An accepted cycle (in the cloud's records) of `agent` that started after `after`'s first page. */
const acceptedCycleOf = (agent: RunningAgent, after?: string) => async () => {
  const cycles = await cloudCycles();
  const since = cycles.find((c) => c.id === after)?.started_at ?? '';
  return cycles.find((c) => agent.cycles.has(c.id) && c.state === 'accepted' && c.started_at > since);
};

/** The first cycle after `cycleId` (the cloud's records) came from another agent, once its lease expired. */
function assertTakenOver(cycles: Awaited<ReturnType<typeof cloudCycles>>, cycleId: string) {
  const stopped = cycles.find((c) => c.id === cycleId);
  assert.ok(stopped?.lastPage, 'the cloud recorded the stopped cycle and its pages');
  assert.equal(stopped.state, 'open', 'the stopped cycle never ended');
  const takeover = cycles.find((c) => c.started_at > stopped.started_at);
  assert.ok(takeover, 'a cycle after the stopped one');
  assert.notEqual(takeover.agent_id, stopped.agent_id, 'the other agent took over');
  assert.ok(
    Date.parse(takeover.started_at) >= Date.parse(stopped.lastPage) + LEASE_MS,
    `the takeover (${takeover.started_at}) waited for the lease to expire (last page ${stopped.lastPage})`,
  );
}

/** Users of every test so far (the OU is shared). */
const everyone: string[] = [];

test('two agents take turns, and the survivor takes over from one killed mid-cycle', async () => {
  // Filled once both agents have synced: the third page of a cycle carrying one of them kills its agent.
  const fresh: string[] = [];
  let victim: { agent: RunningAgent; cycleId: string; killed: Promise<void> } | undefined;
  const onPage = onThirdPageOf(fresh, (agent, cycleId) => {
    victim = { agent, cycleId, killed: agent.kill() };
  });
  const agents = [startAgent('one', dirs[0], { onPage }), startAgent('two', dirs[1], { onPage })];
  try {
    const first = await usersOf('duo', 6);
    everyone.push(...first);
    await eventually(allIn(first), 'the first users');
    // Each agent's first cycle is a full one that sends every user: both take the lease in turn.
    for (const agent of agents)
      await eventually(acceptedCycleOf(agent), `an accepted cycle of ${agent.name}`);

    fresh.push(...(await usersOf('takeover', 12)));
    const died = await eventually(async () => victim, 'an agent killed mid-cycle');
    await died.killed;
    const survivor = agents.find((x) => x !== died.agent);
    assert.ok(survivor);
    everyone.push(...fresh);
    await eventually(allIn(everyone), 'every user, through the survivor');
    await eventually(acceptedCycleOf(survivor, died.cycleId), 'an accepted cycle of the survivor');
  } finally {
    await Promise.all(agents.map((x) => x.stop()));
  }
  assert.ok(victim);
  const cycles = await cloudCycles();
  assertNoOverlap(cycles);
  assert.deepEqual(new Set(cycles.map((c) => c.agent_id)).size, 2, 'both agents ran cycles');
  assertTakenOver(cycles, victim.cycleId);
  await assertEachUserOnce(everyone);
});

/**
 * Creates ten users and starts agent `name` on `dir` through a relay to the cloud, which is cut once
 * the agent sent the third page of a cycle carrying one of them; `cut()` waits for that and returns
 * the cycle and the agent's cursor at that moment.
 */
async function startAgentToCut(name: string, dir: string, prefix: string) {
  const relay = await startRelay(a.fx.url, '127.0.0.1');
  const store = openLocalStore(dir);
  const fresh = await usersOf(prefix, 10);
  let cut: { cycleId: string; cursor: StoredCursor | undefined; done: Promise<void> } | undefined;
  const onPage = onThirdPageOf(fresh, (_agent, cycleId) => {
    cut = { cycleId, cursor: store.cursor(a.configurationId), done: relay.cut() };
  });
  const agent = startAgent(name, dir, { via: relay.url.replace('ldaps:', 'http:'), onPage });
  return {
    relay,
    store,
    fresh,
    agent,
    async cut() {
      const c = await eventually(async () => cut, 'the link cut mid-cycle');
      await c.done;
      assert.notEqual(c.cursor?.lastCycleId, c.cycleId, 'the cursor was not from the cut cycle');
      return c;
    },
    /** Waits until the agent's cursor moved on from `lastCycleId`. */
    movedFrom: (lastCycleId: string | undefined) =>
      eventually(async () => {
        const cursor = store.cursor(a.configurationId);
        return cursor && cursor.lastCycleId !== lastCycleId ? cursor : undefined;
      }, `the cursor of ${name} moved on an acknowledged cycle`),
    async close() {
      await agent.stop();
      await relay.close();
      store.close();
    },
  };
}

/** How many of `sams` the cloud has. */
async function presentOf(sams: readonly string[]): Promise<number> {
  let n = 0;
  for (const sam of sams) if (await a.cloudUser(`${sam}@${a.fx.domain}`)) n++;
  return n;
}

test('cloud away mid-cycle for longer than a lease: the agent carries on by itself, nothing lost or doubled', async () => {
  const two = await startAgentToCut('two', dirs[1], 'away');
  const { store, fresh } = two;
  let moved: StoredCursor | undefined;
  let cutCycleId: string | undefined;
  try {
    const cut = await two.cut();
    cutCycleId = cut.cycleId;
    // Down past the lease: the cloud's lease of the cycle expired a lease ago.
    await eventually(async () => {
      const lease = await a.fx.cloud.cloudSync.leases.leaseOf(a.configurationId);
      return lease && Date.parse(lease.expiresAt) + LEASE_MS < Date.now() ? lease : undefined;
    }, 'the lease expired a lease ago');
    assert.ok((await presentOf(fresh)) < fresh.length, 'the cut held the rest of the cycle back');
    assert.deepEqual(store.cursor(a.configurationId), cut.cursor, 'the cursor did not move while away');
    const open = (await cloudCycles()).find((c) => c.id === cut.cycleId);
    assert.equal(open?.state, 'open', 'the cut cycle has not ended in the cloud');

    await two.relay.resume();
    everyone.push(...fresh);
    await eventually(allIn(everyone), 'every user once the cloud is back');
    moved = await two.movedFrom(cut.cursor?.lastCycleId);
  } finally {
    await two.close();
  }
  const cycles = await cloudCycles();
  assertNoOverlap(cycles);
  const advancedBy = cycles.find((c) => c.id === moved?.lastCycleId);
  assert.equal(advancedBy?.state, 'accepted', 'the cursor moved on an accepted cycle');
  // Nobody took the expired lease, so it was still the agent's: the cut cycle itself went on and ended.
  const cutCycle = cycles.find((c) => c.id === cutCycleId);
  assert.equal(cutCycle?.state, 'accepted', 'the cut cycle carried on once the cloud was back');
  assert.ok(advancedBy.started_at >= cutCycle.started_at, 'the cursor moved at the cut cycle or later');
  const status = await readStatus(dirs[1]);
  assert.equal(status.lastCycles.find((c) => c.cycleId === cutCycleId)?.state, 'accepted');
  await assertEachUserOnce(everyone);
});

test('one agent cut from the cloud past its lease: the other takes over, the cut one rejoins and nothing is applied twice', async () => {
  const one = await startAgentToCut('one', dirs[0], 'split');
  let two: RunningAgent | undefined;
  let cut: Awaited<ReturnType<typeof one.cut>> | undefined;
  let moved: StoredCursor | undefined;
  try {
    cut = await one.cut();
    two = startAgent('two', dirs[1]);
    everyone.push(...one.fresh);
    await eventually(allIn(everyone), 'every user, through the other agent');
    await eventually(acceptedCycleOf(two, cut.cycleId), 'an accepted cycle of the other agent');
    assert.deepEqual(one.store.cursor(a.configurationId), cut.cursor, "the cut agent's cursor did not move");

    await one.relay.resume();
    // The cut agent learns it lost the lease, drops its cycle and runs again from its old cursor.
    moved = await one.movedFrom(cut.cursor?.lastCycleId);
  } finally {
    await one.close();
    await two?.stop();
  }
  assert.ok(cut);
  const cycles = await cloudCycles();
  assertNoOverlap(cycles);
  assertTakenOver(cycles, cut.cycleId);
  assert.notEqual(moved?.lastCycleId, cut.cycleId, 'the cursor did not move on the lost cycle');
  const advancedBy = cycles.find((c) => c.id === moved?.lastCycleId);
  assert.equal(advancedBy?.state, 'accepted', 'the cursor moved on an accepted cycle');
  const lostCycle = cycles.find((c) => c.id === cut?.cycleId);
  assert.equal(advancedBy.agent_id, lostCycle?.agent_id, "the accepted cycle is the cut agent's own");
  const status = await readStatus(dirs[0]);
  const lost = status.lastCycles.find((c) => c.cycleId === cut?.cycleId);
  assert.equal(lost?.error?.code, 'CYCLE_LEASE_LOST', JSON.stringify(lost));
  await assertEachUserOnce(everyone);
});
