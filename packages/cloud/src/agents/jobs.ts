import { randomUUID } from 'node:crypto';
import { ProtocolError } from '@cloudsync/protocol';
import type { Kysely } from 'kysely';
import type { Clock } from '../directory/clock.js';
import { toCount } from '../store/open-store.js';
import type { Database } from '../store/schema.js';
import { createJobNotifier } from './job-notifier.js';
import type { AgentJobsTable, AgentsDatabase, AgentsTables, JobState } from './schema.js';

/** A job goes to one agent, or to whichever agent of a domain polls first. */
export type JobTarget = { agentId: string } | { domain: string };

export interface NewJob {
  kind: string;
  target: JobTarget;
  configurationId?: string;
  /** JSON-serialisable; secrets in it must already be encrypted to the agent (JWE). */
  payload: unknown;
  /** How long the job may wait and run; default 2 minutes. */
  ttlMs?: number;
  /** An id chosen by the caller (writeback encrypts the job id into its secret); a UUID otherwise. */
  id?: string;
}

/** A job handed to an agent. */
export interface ClaimedJob {
  id: string;
  kind: string;
  configurationId: string | null;
  payload: unknown;
  expiresAt: string;
  attempts: number;
}

/** Who polls: the agent, and the domains it serves (lower-cased). */
export interface Poller {
  agentId: string;
  domains: readonly string[];
}

export type JobOutcome =
  | { state: 'succeeded' | 'failed'; result: unknown }
  | { state: 'expired' | 'cancelled' }
  /** The wait ran out while the job was still queued or running. */
  | { state: 'timeout' };

export interface JobRecord {
  id: string;
  kind: string;
  configurationId: string | null;
  /** The state now: a queued or claimed job past its expiry shows as `expired`. */
  state: JobState;
  payload: unknown;
  result: unknown;
  createdAt: string;
  completedAt: string | null;
  expiresAt: string;
}

export interface JobQueue {
  enqueue(job: NewJob): Promise<string>;
  /** Claims up to `limit` runnable jobs of `kinds` for this agent; each is claimed by one poller only. */
  claim(poller: Poller, options: { kinds: readonly string[]; limit: number }): Promise<ClaimedJob[]>;
  /** Long-poll: claims at once, or waits up to `waitMs` for a job to arrive. */
  poll(
    poller: Poller,
    options: { kinds: readonly string[]; limit: number; waitMs: number; signal?: AbortSignal },
  ): Promise<ClaimedJob[]>;
  /** Records the agent's answer. A resent answer of the same agent is accepted again. */
  complete(
    jobId: string,
    agentId: string,
    outcome: { status: 'succeeded' | 'failed'; result: unknown },
  ): Promise<void>;
  /** Waits until the job is done, expired or cancelled, or `timeoutMs` passed. */
  waitForJobResult(jobId: string, timeoutMs: number): Promise<JobOutcome>;
  get(jobId: string): Promise<JobRecord | undefined>;
  /** Cancels a job no agent has claimed yet; false when it is already running or done. */
  cancel(jobId: string): Promise<boolean>;
  /** Cancels the queued jobs of a configuration (it is being deleted). */
  cancelForConfiguration(configurationId: string): Promise<void>;
  /** Cancels the queued jobs addressed to one agent (it is being deregistered). */
  cancelForAgent(agentId: string): Promise<void>;
  /** Jobs of `kinds` this agent could claim now. */
  pendingCount(poller: Poller, kinds: readonly string[]): Promise<number>;
  /** Deletes jobs done, cancelled or expired more than `olderThanMs` ago; returns how many. */
  purgeFinished(olderThanMs: number): Promise<number>;
  /** Wakes every waiter (they return what they have) and stops accepting waits. */
  close(): void;
}

export interface JobQueueOptions {
  db: Kysely<Database>;
  clock: Clock;
  /** A claimed job not answered within this time can be claimed again (default 60 s). */
  visibilityMs?: number;
  /** Claims per job before it is left to expire (default 3). */
  maxAttempts?: number;
  /** How often waiters look at the store, for jobs queued by other processes (default 500 ms). */
  pollIntervalMs?: number;
}

const TERMINAL: readonly JobState[] = ['succeeded', 'failed', 'expired', 'cancelled'];

const parse = (text: string | null): unknown => (text === null ? null : JSON.parse(text));

/**
 * The durable queue of jobs from the cloud to agents, on either database. Claims are conditional
 * updates, so two pollers never get the same job; an in-process notifier wakes long-polls and
 * waiters at once, and a short store poll covers jobs queued by another process.
 * @example
 *   const jobs = createJobQueue({ db, clock });
 *   const id = await jobs.enqueue({ kind: 'provision-on-demand', target: { domain: 'corp.contoso.com' }, payload });
 *   const outcome = await jobs.waitForJobResult(id, 30_000); // { state: 'succeeded', result } | { state: 'timeout' } ...
 */
export function createJobQueue(options: JobQueueOptions): JobQueue {
  const db: Kysely<AgentsDatabase> = options.db.withTables<AgentsTables>();
  const { clock } = options;
  const visibilityMs = options.visibilityMs ?? 60_000;
  const maxAttempts = options.maxAttempts ?? 3;
  const pollIntervalMs = options.pollIntervalMs ?? 500;
  const notifier = createJobNotifier();
  const iso = (offsetMs = 0) => new Date(clock.now().getTime() + offsetMs).toISOString();

  const runnable = (poller: Poller, kinds: readonly string[]) => {
    const now = iso();
    return db
      .selectFrom('agent_jobs')
      .where('kind', 'in', [...kinds])
      .where('expires_at', '>', now)
      .where('attempts', '<', maxAttempts)
      .where((eb) =>
        eb.or([
          eb('state', '=', 'queued'),
          eb.and([eb('state', '=', 'claimed'), eb('claim_until', '<=', now)]),
        ]),
      )
      .where((eb) =>
        eb.or([
          eb('agent_id', '=', poller.agentId),
          ...(poller.domains.length > 0
            ? [
                eb.and([
                  eb('agent_id', 'is', null),
                  eb(
                    'domain_key',
                    'in',
                    poller.domains.map((d) => d.toLowerCase()),
                  ),
                ]),
              ]
            : []),
        ]),
      );
  };

  async function claim(poller: Poller, opts: { kinds: readonly string[]; limit: number }) {
    if (opts.kinds.length === 0 || opts.limit <= 0) return [];
    const candidates = await runnable(poller, opts.kinds)
      .select(['id', 'attempts', 'state', 'claim_until'])
      .orderBy('created_at')
      .orderBy('id')
      .limit(opts.limit)
      .execute();
    const claimed: ClaimedJob[] = [];
    for (const c of candidates) {
      // Only the poller whose update still sees the row as it was read wins it.
      const won = await db
        .updateTable('agent_jobs')
        .set({
          state: 'claimed',
          claimed_by: poller.agentId,
          claim_until: iso(visibilityMs),
          attempts: c.attempts + 1,
        })
        .where('id', '=', c.id)
        .where('state', '=', c.state)
        .where('attempts', '=', c.attempts)
        .executeTakeFirst();
      if (Number(won.numUpdatedRows) !== 1) continue;
      const r = await db
        .selectFrom('agent_jobs')
        .selectAll()
        .where('id', '=', c.id)
        .executeTakeFirstOrThrow();
      claimed.push({
        id: r.id,
        kind: r.kind,
        configurationId: r.configuration_id,
        payload: parse(r.payload),
        expiresAt: r.expires_at,
        attempts: r.attempts,
      });
    }
    return claimed;
  }

  function toRecord(r: AgentJobsTable): JobRecord {
    const expired = !TERMINAL.includes(r.state) && r.expires_at <= iso();
    return {
      id: r.id,
      kind: r.kind,
      configurationId: r.configuration_id,
      state: expired ? 'expired' : r.state,
      payload: parse(r.payload),
      result: parse(r.result),
      createdAt: r.created_at,
      completedAt: r.completed_at,
      expiresAt: r.expires_at,
    };
  }

  async function get(jobId: string) {
    const r = await db.selectFrom('agent_jobs').selectAll().where('id', '=', jobId).executeTakeFirst();
    return r && toRecord(r);
  }

  async function cancelWhere(column: 'id' | 'configuration_id' | 'agent_id', value: string) {
    const result = await db
      .updateTable('agent_jobs')
      .set({ state: 'cancelled', completed_at: iso() })
      .where(column, '=', value)
      .where('state', '=', 'queued')
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  return {
    async enqueue(job) {
      const id = job.id ?? randomUUID();
      await db
        .insertInto('agent_jobs')
        .values({
          id,
          kind: job.kind,
          agent_id: 'agentId' in job.target ? job.target.agentId : null,
          domain_key: 'domain' in job.target ? job.target.domain.toLowerCase() : null,
          configuration_id: job.configurationId ?? null,
          payload: JSON.stringify(job.payload ?? null),
          state: 'queued',
          attempts: 0,
          claimed_by: null,
          claim_until: null,
          expires_at: iso(job.ttlMs ?? 120_000),
          result: null,
          created_at: iso(),
          completed_at: null,
        })
        .execute();
      notifier.notify('enqueued');
      return id;
    },
    claim,
    async poll(poller, opts) {
      const deadline = Date.now() + opts.waitMs;
      for (;;) {
        const jobs = await claim(poller, opts);
        if (jobs.length > 0 || notifier.closed || opts.signal?.aborted || Date.now() >= deadline) return jobs;
        await notifier.pause('enqueued', Math.min(pollIntervalMs, deadline - Date.now()), opts.signal);
      }
    },
    async complete(jobId, agentId, outcome) {
      const done = await db
        .updateTable('agent_jobs')
        .set({ state: outcome.status, result: JSON.stringify(outcome.result ?? null), completed_at: iso() })
        .where('id', '=', jobId)
        .where('claimed_by', '=', agentId)
        .where('state', '=', 'claimed')
        .executeTakeFirst();
      if (Number(done.numUpdatedRows) === 1) {
        notifier.notify(`done:${jobId}`);
        return;
      }
      const r = await db.selectFrom('agent_jobs').selectAll().where('id', '=', jobId).executeTakeFirst();
      if (!r || r.claimed_by !== agentId) throw new ProtocolError('JOB_NOT_FOUND');
      if (r.state === outcome.status) return; // the same answer again (a retried POST)
      throw new ProtocolError('JOB_EXPIRED', `The job is already ${r.state}.`);
    },
    async waitForJobResult(jobId, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const job = await get(jobId);
        if (!job) throw new ProtocolError('JOB_NOT_FOUND');
        if (job.state === 'succeeded' || job.state === 'failed')
          return { state: job.state, result: job.result };
        if (job.state === 'expired' || job.state === 'cancelled') return { state: job.state };
        if (notifier.closed || Date.now() >= deadline) return { state: 'timeout' };
        await notifier.pause(`done:${jobId}`, Math.min(pollIntervalMs, deadline - Date.now()));
      }
    },
    get,
    async cancel(jobId) {
      return (await cancelWhere('id', jobId)) === 1;
    },
    async cancelForConfiguration(configurationId) {
      await cancelWhere('configuration_id', configurationId);
    },
    async cancelForAgent(agentId) {
      await cancelWhere('agent_id', agentId);
    },
    async pendingCount(poller, kinds) {
      if (kinds.length === 0) return 0;
      const r = await runnable(poller, kinds)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirst();
      return toCount(r?.n);
    },
    async purgeFinished(olderThanMs) {
      const before = iso(-olderThanMs);
      const result = await db
        .deleteFrom('agent_jobs')
        .where((eb) =>
          eb.or([
            eb.and([eb('completed_at', 'is not', null), eb('completed_at', '<', before)]),
            eb('expires_at', '<', before),
          ]),
        )
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
    close: () => notifier.close(),
  };
}
