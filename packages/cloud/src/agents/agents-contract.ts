// For tests only: the contract of agents, sync configurations, cycle leases and the job queue, run
// against SQLite and PostgreSQL (agents-contract.*.test.ts) with a clock the tests move.
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  type AgentRegistrationRequest,
  type HeartbeatRequest,
  ProtocolError,
  publicJwkSchema,
} from '@cloudsync/protocol';
import { compactDecrypt } from 'jose';
import type { Clock } from '../directory/clock.js';
import { createAppRegistrations } from '../sign-in/app-registrations.js';
import type { SignInTables } from '../sign-in/schema.js';
import { openStore, type Store, type StoreLocation } from '../store/index.js';
import { createSyncConfigurations, type SyncConfigurations } from '../sync-config/configuration-store.js';
import { createConfigurationForAgent } from './agent-configuration.js';
import { type AgentRegistry, createAgentRegistry } from './agent-registry.js';
import { type CycleLeases, createCycleLeases } from './cycle-lease.js';
import { createJobQueue, type JobQueue } from './jobs.js';
import { queueWriteback, toWritebackJob } from './writeback-jobs.js';

/** A clock tests move by hand. */
export class MovableClock implements Clock {
  private t = Date.parse('2026-11-25T12:00:00.000Z');
  now(): Date {
    return new Date(this.t);
  }
  advanceMs(ms: number): void {
    this.t += ms;
  }
}

const SID = 'S-1-5-21-1004336348-1177238915-682003330';
const MAPPINGS = {
  user: [
    {
      target: 'displayName',
      source: { kind: 'attribute' as const, name: 'displayName' },
      applyWhen: 'always' as const,
    },
  ],
  group: [],
  contact: [],
};

export function registrationFor(host: string, domains: string[]): AgentRegistrationRequest {
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    host,
    version: '0.1.0',
    domains,
    publicJwk: publicJwkSchema.parse(publicKey.export({ format: 'jwk' })),
  };
}

function heartbeat(clock: Clock): HeartbeatRequest {
  return {
    status: 'idle',
    currentCycle: null,
    versions: { agent: '0.1.1', protocol: '1' },
    configurationVersions: {},
    lastError: null,
    sentAt: clock.now().toISOString(),
  };
}

interface Ctx {
  store: Store;
  clock: MovableClock;
  registry: AgentRegistry;
  configurations: SyncConfigurations;
  leases: CycleLeases;
  jobs: JobQueue;
}

/** Runs the whole contract against a fresh store at each `newLocation()`. */
export function runAgentsContract(label: string, newLocation: () => Promise<StoreLocation>): void {
  describe(`agents contract (${label})`, () => {
    let ctx: Ctx;
    before(async () => {
      const store = await openStore(await newLocation());
      const clock = new MovableClock();
      const apps = createAppRegistrations(store.db.withTables<SignInTables>());
      ctx = {
        store,
        clock,
        registry: createAgentRegistry({ db: store.db, clock, apps }),
        configurations: createSyncConfigurations({ db: store.db, clock, defaultMappings: MAPPINGS }),
        leases: createCycleLeases({ db: store.db, clock, ttlMs: 120_000 }),
        jobs: createJobQueue({ db: store.db, clock, visibilityMs: 60_000, pollIntervalMs: 50 }),
      };
    });
    after(async () => {
      ctx.jobs.close();
      await ctx.store.close();
    });

    const newConfiguration = (dnsName: string) =>
      ctx.configurations.create({ domain: { dnsName, netbiosName: 'CORP', sid: SID } });

    describe('agents', () => {
      test('an agent shows active after a heartbeat and inactive 10 minutes later', async () => {
        const { agent } = await ctx.registry.register(
          registrationFor('dc1.corp.test', ['Corp.Test']),
          'admin',
        );
        assert.deepEqual(agent.domains, ['corp.test']);
        assert.equal(ctx.registry.view(agent).status, 'inactive', 'never seen yet');
        const seen = await ctx.registry.recordHeartbeat(agent.id, heartbeat(ctx.clock));
        assert.ok(seen);
        assert.equal(seen.version, '0.1.1');
        assert.equal(ctx.registry.view(seen).status, 'active');
        ctx.clock.advanceMs(9 * 60_000 + 59_000);
        assert.equal(ctx.registry.view(seen).status, 'active');
        ctx.clock.advanceMs(2_000);
        assert.equal(ctx.registry.view(seen).status, 'inactive');
      });

      test('re-registering a host repairs it: same agent, next key generation, old client disabled', async () => {
        const first = await ctx.registry.register(registrationFor('DC2.corp.test', ['corp.test']), 'admin');
        const again = await ctx.registry.register(registrationFor('dc2.CORP.test', ['corp.test']), 'admin');
        assert.equal(again.repaired, true);
        assert.equal(again.agent.id, first.agent.id);
        assert.equal(again.agent.keyGeneration, 2);
        assert.notEqual(again.agent.clientId, first.agent.clientId);
        assert.notDeepEqual(again.agent.publicJwk, first.agent.publicJwk);
        const apps = createAppRegistrations(ctx.store.db.withTables<SignInTables>());
        assert.equal((await apps.find(first.agent.clientId))?.accountEnabled, false);
        assert.equal((await apps.find(again.agent.clientId))?.accountEnabled, true);
        assert.equal(await ctx.registry.remove(first.agent.id), true);
        assert.equal((await apps.find(again.agent.clientId))?.accountEnabled, false);
        assert.equal(await ctx.registry.find(first.agent.id), undefined);
      });
    });

    describe('sync configurations', () => {
      test('defaults, version bumps, one configuration per domain', async () => {
        const cfg = await newConfiguration('cfg1.corp.test');
        assert.equal(cfg.version, 1);
        assert.equal(cfg.enabled, false);
        assert.equal(cfg.status.state, 'disabled');
        assert.equal(cfg.passwordHashSync, true);
        assert.deepEqual(cfg.deleteGuard, { enabled: true, threshold: 500 });
        assert.deepEqual(cfg.scope, { kind: 'domain' });
        assert.deepEqual(cfg.mappings, MAPPINGS);
        const patched = await ctx.configurations.update(cfg.id, {
          deleteGuard: { threshold: 50 },
          enabled: true,
        });
        assert.equal(patched.version, 2);
        assert.deepEqual(patched.deleteGuard, { enabled: true, threshold: 50 });
        assert.equal(patched.status.state, 'healthy');
        assert.equal((await ctx.configurations.update(cfg.id, { passwordHashSync: false })).version, 3);
        await assert.rejects(newConfiguration('CFG1.corp.test'), { target: 'domain.dnsName' });
      });

      test('restart stays pending until a full cycle starts after it; status comes from the ingest', async () => {
        const cfg = await newConfiguration('cfg2.corp.test');
        const requested = await ctx.configurations.requestRestart(cfg.id);
        assert.equal(requested.restartPending, true);
        assert.equal(requested.version, cfg.version, 'a restart is not a configuration change');
        await ctx.configurations.restartStarted(cfg.id, new Date(ctx.clock.now().getTime() - 1000));
        assert.equal(
          (await ctx.configurations.get(cfg.id)).restartPending,
          true,
          'a cycle older than the request',
        );
        await ctx.configurations.restartStarted(cfg.id, ctx.clock.now());
        assert.equal((await ctx.configurations.get(cfg.id)).restartPending, false);
        await ctx.configurations.update(cfg.id, { enabled: true });
        await ctx.configurations.updateStatus(cfg.id, {
          status: 'quarantine',
          reason: 'five failed cycles',
          lastCycleAt: ctx.clock.now(),
          counts: { applied: 3, errors: 5 },
        });
        const seen = await ctx.configurations.get(cfg.id);
        assert.deepEqual(seen.status, {
          state: 'quarantine',
          reason: 'five failed cycles',
          lastCycleAt: ctx.clock.now().toISOString(),
          lastCycleCounts: { applied: 3, errors: 5 },
          updatedAt: ctx.clock.now().toISOString(),
        });
      });
    });

    test('an agent sees the configurations of its domains only, enabled and current when asked', async () => {
      const cfg = await newConfiguration('mine.corp.test');
      const lookup = createConfigurationForAgent(ctx.configurations);
      const agent = { domains: ['mine.corp.test'] };
      assert.equal((await lookup(agent, cfg.id)).id, cfg.id);
      await assert.rejects(lookup({ domains: ['other.corp.test'] }, cfg.id), { code: 'CONFIG_NOT_FOUND' });
      await assert.rejects(lookup(agent, randomUUID()), { code: 'CONFIG_NOT_FOUND' });
      await assert.rejects(lookup(agent, cfg.id, { enabled: true }), { code: 'CONFIG_DISABLED' });
      const on = await ctx.configurations.update(cfg.id, { enabled: true });
      assert.equal((await lookup(agent, cfg.id, { enabled: true, version: on.version })).version, on.version);
      await assert.rejects(lookup(agent, cfg.id, { version: on.version - 1 }), {
        code: 'CONFIG_VERSION_STALE',
      });
    });

    describe('cycle lease', () => {
      test('one holder at a time; the other waits, then takes over once the holder stops renewing', async () => {
        const cfg = await newConfiguration('lease.corp.test');
        const [a, b] = [randomUUID(), randomUUID()];
        const [cycleA, cycleB] = [randomUUID(), randomUUID()];
        const claim = (agentId: string, cycleId: string) =>
          ctx.leases.acquireLease({ configurationId: cfg.id, agentId, cycleId, kind: 'delta' });

        const [first, second] = await Promise.all([claim(a, cycleA), claim(b, cycleB)]);
        assert.deepEqual([first.state, second.state].sort(), ['granted', 'wait'], 'exactly one wins a race');
        const [holder, holderCycle, other, otherCycle] =
          first.state === 'granted' ? [a, cycleA, b, cycleB] : [b, cycleB, a, cycleA];

        ctx.clock.advanceMs(100_000);
        await ctx.leases.renewLease(cfg.id, holder, holderCycle);
        ctx.clock.advanceMs(100_000); // 200 s after start, 100 s after the renewal: still live
        const waiting = await claim(other, otherCycle);
        assert.equal(waiting.state, 'wait');
        await ctx.leases.assertLeaseHolder(cfg.id, holder, holderCycle);
        await assert.rejects(ctx.leases.assertLeaseHolder(cfg.id, other, otherCycle), {
          code: 'CYCLE_LEASE_LOST',
        });

        ctx.clock.advanceMs(20_001); // the holder died: no renewal for longer than the lease lifetime
        const takeover = await claim(other, otherCycle);
        assert.equal(takeover.state, 'granted');
        await assert.rejects(ctx.leases.renewLease(cfg.id, holder, holderCycle), (err: unknown) => {
          assert.ok(err instanceof ProtocolError);
          assert.equal(err.code, 'CYCLE_LEASE_LOST');
          return true;
        });
        await ctx.leases.releaseLease(cfg.id, holder, holderCycle); // not the holder: nothing happens
        assert.equal((await ctx.leases.leaseOf(cfg.id))?.agentId, other);
        await ctx.leases.releaseLease(cfg.id, other, otherCycle);
        assert.equal((await claim(holder, randomUUID())).state, 'granted', 'free again after the release');
      });
    });

    describe('job queue', () => {
      test('two pollers racing: every job is claimed exactly once', async () => {
        const domain = `jobs-${randomUUID().slice(0, 8)}.corp.test`;
        const ids = new Set<string>();
        for (let i = 0; i < 12; i++) {
          ids.add(
            await ctx.jobs.enqueue({ kind: 'provision-on-demand', target: { domain }, payload: { i } }),
          );
        }
        const p1 = { agentId: randomUUID(), domains: [domain] };
        const p2 = { agentId: randomUUID(), domains: [domain.toUpperCase()] };
        const claimed: string[] = [];
        for (let round = 0; round < 4; round++) {
          const [x, y] = await Promise.all([
            ctx.jobs.claim(p1, { kinds: ['provision-on-demand'], limit: 5 }),
            ctx.jobs.claim(p2, { kinds: ['provision-on-demand'], limit: 5 }),
          ]);
          claimed.push(...x.map((j) => j.id), ...y.map((j) => j.id));
        }
        assert.equal(claimed.length, 12);
        assert.deepEqual(new Set(claimed), ids);
        assert.equal(await ctx.jobs.pendingCount(p1, ['provision-on-demand']), 0);
      });

      test('a job for one agent is not handed to another; a lapsed claim is handed out again', async () => {
        const mine = { agentId: randomUUID(), domains: [] };
        const other = { agentId: randomUUID(), domains: [] };
        const id = await ctx.jobs.enqueue({
          kind: 'password-reset',
          target: { agentId: mine.agentId },
          payload: {},
        });
        assert.deepEqual(await ctx.jobs.claim(other, { kinds: ['password-reset'], limit: 10 }), []);
        assert.equal((await ctx.jobs.claim(mine, { kinds: ['password-reset'], limit: 10 }))[0]?.id, id);
        assert.deepEqual(await ctx.jobs.claim(mine, { kinds: ['password-reset'], limit: 10 }), []);
        ctx.clock.advanceMs(60_001);
        const again = await ctx.jobs.claim(mine, { kinds: ['password-reset'], limit: 10 });
        assert.equal(again[0]?.attempts, 2);
      });

      test('waitForJobResult: the agent’s answer, or a timeout, or expiry', async () => {
        const poller = { agentId: randomUUID(), domains: ['wait.corp.test'] };
        const id = await ctx.jobs.enqueue({
          kind: 'provision-on-demand',
          target: { domain: 'wait.corp.test' },
          payload: {},
        });
        assert.deepEqual(await ctx.jobs.waitForJobResult(id, 30), { state: 'timeout' });
        const waiting = ctx.jobs.waitForJobResult(id, 10_000);
        const [job] = await ctx.jobs.poll(poller, { kinds: ['provision-on-demand'], limit: 1, waitMs: 1000 });
        assert.equal(job?.id, id);
        await ctx.jobs.complete(id, poller.agentId, { status: 'succeeded', result: { steps: 3 } });
        assert.deepEqual(await waiting, { state: 'succeeded', result: { steps: 3 } });
        await ctx.jobs.complete(id, poller.agentId, { status: 'succeeded', result: { steps: 3 } }); // resent: fine
        await assert.rejects(ctx.jobs.complete(id, randomUUID(), { status: 'failed', result: null }), {
          code: 'JOB_NOT_FOUND',
        });

        const late = await ctx.jobs.enqueue({
          kind: 'provision-on-demand',
          target: { domain: 'wait.corp.test' },
          payload: {},
          ttlMs: 1000,
        });
        ctx.clock.advanceMs(1001);
        assert.deepEqual(await ctx.jobs.waitForJobResult(late, 10_000), { state: 'expired' });
        assert.deepEqual(await ctx.jobs.claim(poller, { kinds: ['provision-on-demand'], limit: 1 }), []);
      });

      test('finished and expired jobs are purged after the retention, queued ones stay', async () => {
        const target = { agentId: randomUUID() };
        const poller = { agentId: target.agentId, domains: [] };
        const done = await ctx.jobs.enqueue({ kind: 'password-reset', target, payload: {} });
        await ctx.jobs.claim(poller, { kinds: ['password-reset'], limit: 1 });
        await ctx.jobs.complete(done, target.agentId, { status: 'succeeded', result: null });
        const expired = await ctx.jobs.enqueue({ kind: 'password-reset', target, payload: {}, ttlMs: 1000 });
        ctx.clock.advanceMs(7 * 86_400_000);
        const fresh = await ctx.jobs.enqueue({ kind: 'password-reset', target, payload: {} });
        assert.ok((await ctx.jobs.purgeFinished(86_400_000)) >= 2);
        assert.equal(await ctx.jobs.get(done), undefined);
        assert.equal(await ctx.jobs.get(expired), undefined);
        assert.equal((await ctx.jobs.get(fresh))?.state, 'queued');
      });

      test('two agents long-polling the same domain: a new job goes to exactly one', async () => {
        const domain = `race-${randomUUID().slice(0, 8)}.corp.test`;
        const opts = { kinds: ['provision-on-demand'], limit: 10, waitMs: 1500 };
        const first = ctx.jobs.poll({ agentId: randomUUID(), domains: [domain] }, opts);
        const second = ctx.jobs.poll({ agentId: randomUUID(), domains: [domain] }, opts);
        const id = await ctx.jobs.enqueue({ kind: 'provision-on-demand', target: { domain }, payload: {} });
        const got = [...(await first), ...(await second)].map((j) => j.id);
        assert.deepEqual(got, [id]);
      });

      test('writeback: sealed to the active agent of the domain, opened only with its private key', async () => {
        const request = {
          configurationId: randomUUID(),
          domain: 'WB.corp.test',
          kind: 'password-reset' as const,
          anchor: 'AAECAwQFBgcICQoLDA0ODw==',
          distinguishedName: 'CN=Bobby,DC=wb,DC=corp,DC=test',
          newPassword: 'Correct-Horse-9',
          unlockAccount: true,
          forceChangeAtNextLogon: false,
          ttlMs: 30_000,
        };
        await assert.rejects(queueWriteback(ctx, request), { code: 'AGENT_NOT_FOUND' });
        for (const kty of ['ec', 'rsa'] as const) {
          const pair =
            kty === 'ec'
              ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
              : generateKeyPairSync('rsa', { modulusLength: 2048 });
          const reg = { ...registrationFor(`wb-${kty}.corp.test`, ['wb.corp.test']) };
          reg.publicJwk = publicJwkSchema.parse(pair.publicKey.export({ format: 'jwk' }));
          const { agent } = await ctx.registry.register(reg, 'admin');
          ctx.clock.advanceMs(1000);
          await ctx.registry.recordHeartbeat(agent.id, heartbeat(ctx.clock));
          const queued = await queueWriteback(ctx, request);
          assert.equal(queued.agentId, agent.id, 'the most recently seen agent');
          const row = await ctx.store.db
            .withTables<{ agent_jobs: { id: string; payload: string } }>()
            .selectFrom('agent_jobs')
            .select('payload')
            .where('id', '=', queued.jobId)
            .executeTakeFirstOrThrow();
          assert.ok(!row.payload.includes(request.newPassword), 'no password in clear in the store');
          const [claimed] = await ctx.jobs.claim(
            { agentId: agent.id, domains: [] },
            { kinds: ['password-reset'], limit: 1 },
          );
          assert.ok(claimed);
          const job = toWritebackJob(claimed);
          assert.equal(job?.jobId, queued.jobId);
          const opened = await compactDecrypt(job?.encrypted ?? '', pair.privateKey);
          assert.deepEqual(JSON.parse(new TextDecoder().decode(opened.plaintext)), {
            jobId: queued.jobId,
            newPassword: request.newPassword,
          });
          const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' });
          await assert.rejects(compactDecrypt(job?.encrypted ?? '', stranger.privateKey));
        }
      });

      test('a long-poll wakes up when a job is queued', async () => {
        const poller = { agentId: randomUUID(), domains: [] };
        const polling = ctx.jobs.poll(poller, { kinds: ['password-change'], limit: 10, waitMs: 20_000 });
        const id = await ctx.jobs.enqueue({
          kind: 'password-change',
          target: { agentId: poller.agentId },
          payload: {},
        });
        assert.deepEqual(
          (await polling).map((j) => j.id),
          [id],
        );
        assert.equal(await ctx.jobs.cancel(id), false, 'a claimed job cannot be cancelled');
      });
    });
  });
}
