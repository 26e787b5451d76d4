import { type CycleKind, type CycleLeaseResponse, ProtocolError } from '@cloudsync/protocol';
import type { Kysely } from 'kysely';
import type { Clock } from '../directory/clock.js';
import type { Database } from '../store/schema.js';
import type { AgentsDatabase, AgentsTables, CycleLeasesTable } from './schema.js';

/** Default lease lifetime: twice the agents' 60-second heartbeat, so one lost heartbeat is harmless. */
export const DEFAULT_LEASE_TTL_MS = 2 * 60_000;

/** Who runs a configuration's cycle, and until when unless renewed. */
export interface CycleLease {
  configurationId: string;
  agentId: string;
  cycleId: string;
  kind: CycleKind;
  acquiredAt: string;
  expiresAt: string;
}

export interface LeaseClaim {
  configurationId: string;
  agentId: string;
  cycleId: string;
  kind: CycleKind;
}

/**
 * The cycle lease: several agents may serve one domain, exactly one runs a configuration's cycle at
 * a time. Every write is one conditional statement, so two agents racing get one winner on SQLite
 * and on PostgreSQL alike.
 */
export interface CycleLeases {
  /**
   * Takes the lease when it is free, expired, or already this agent's (a new cycle of the same agent);
   * otherwise answers `wait` with the holder's expiry.
   */
  acquireLease(claim: LeaseClaim): Promise<CycleLeaseResponse>;
  /**
   * Extends the lease of this agent's cycle (heartbeats and pages call it). Throws `CYCLE_LEASE_LOST`
   * when another agent took over, or the lease was released.
   */
  renewLease(configurationId: string, agentId: string, cycleId: string): Promise<CycleLease>;
  /** Gives the lease up (end of cycle); does nothing unless this agent's cycle holds it. */
  releaseLease(configurationId: string, agentId: string, cycleId: string): Promise<void>;
  /** Throws `CYCLE_LEASE_LOST` unless this agent's cycle holds the configuration's lease. */
  assertLeaseHolder(configurationId: string, agentId: string, cycleId: string): Promise<CycleLease>;
  /** The current lease row, live or expired. */
  leaseOf(configurationId: string): Promise<CycleLease | undefined>;
  /** Drops every lease of an agent (deregistration), so another agent takes over at once. */
  releaseAllOf(agentId: string): Promise<void>;
}

function toLease(row: CycleLeasesTable): CycleLease {
  return {
    configurationId: row.configuration_id,
    agentId: row.agent_id,
    cycleId: row.cycle_id,
    // Written only from a parsed `CycleKind`.
    kind: row.kind === 'full' ? 'full' : 'delta',
    acquiredAt: row.acquired_at,
    expiresAt: row.expires_at,
  };
}

/**
 * @example
 *   const leases = createCycleLeases({ db, clock });
 *   const answer = await leases.acquireLease({ configurationId, agentId, cycleId, kind: 'delta' });
 *   if (answer.state === 'wait') setTimeout(retry, answer.retryAfterSeconds * 1000);
 *   // page route of the sync ingest:
 *   await leases.renewLease(page.configurationId, principal.id, page.cycleId);
 */
export function createCycleLeases(deps: { db: Kysely<Database>; clock: Clock; ttlMs?: number }): CycleLeases {
  const db: Kysely<AgentsDatabase> = deps.db.withTables<AgentsTables>();
  const ttlMs = deps.ttlMs ?? DEFAULT_LEASE_TTL_MS;
  const row = (configurationId: string) =>
    db
      .selectFrom('cycle_leases')
      .selectAll()
      .where('configuration_id', '=', configurationId)
      .executeTakeFirst();

  async function assertLeaseHolder(configurationId: string, agentId: string, cycleId: string) {
    const r = await row(configurationId);
    if (!r || r.agent_id !== agentId || r.cycle_id !== cycleId) throw new ProtocolError('CYCLE_LEASE_LOST');
    return toLease(r);
  }

  return {
    async acquireLease(claim) {
      const now = deps.clock.now();
      const expiresAt = new Date(now.getTime() + ttlMs).toISOString();
      const values = {
        agent_id: claim.agentId,
        cycle_id: claim.cycleId,
        kind: claim.kind,
        acquired_at: now.toISOString(),
        expires_at: expiresAt,
      };
      const taken = await db
        .updateTable('cycle_leases')
        .set(values)
        .where('configuration_id', '=', claim.configurationId)
        .where((eb) => eb.or([eb('expires_at', '<=', now.toISOString()), eb('agent_id', '=', claim.agentId)]))
        .executeTakeFirst();
      if (Number(taken.numUpdatedRows) === 1) return { state: 'granted', cycleId: claim.cycleId, expiresAt };
      const inserted = await db
        .insertInto('cycle_leases')
        .values({ configuration_id: claim.configurationId, ...values })
        .onConflict((oc) => oc.column('configuration_id').doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1) {
        return { state: 'granted', cycleId: claim.cycleId, expiresAt };
      }
      const holder = await row(claim.configurationId);
      const holderExpiry = holder?.expires_at ?? now.toISOString();
      const remaining = Math.ceil((Date.parse(holderExpiry) - now.getTime()) / 1000);
      return {
        state: 'wait',
        expiresAt: holderExpiry,
        retryAfterSeconds: Math.min(Math.max(remaining, 1), Math.ceil(ttlMs / 2000)),
      };
    },
    async renewLease(configurationId, agentId, cycleId) {
      const expiresAt = new Date(deps.clock.now().getTime() + ttlMs).toISOString();
      const renewed = await db
        .updateTable('cycle_leases')
        .set({ expires_at: expiresAt })
        .where('configuration_id', '=', configurationId)
        .where('agent_id', '=', agentId)
        .where('cycle_id', '=', cycleId)
        .executeTakeFirst();
      if (Number(renewed.numUpdatedRows) === 0) throw new ProtocolError('CYCLE_LEASE_LOST');
      return assertLeaseHolder(configurationId, agentId, cycleId);
    },
    async releaseLease(configurationId, agentId, cycleId) {
      await db
        .deleteFrom('cycle_leases')
        .where('configuration_id', '=', configurationId)
        .where('agent_id', '=', agentId)
        .where('cycle_id', '=', cycleId)
        .execute();
    },
    assertLeaseHolder,
    async leaseOf(configurationId) {
      const r = await row(configurationId);
      return r && toLease(r);
    },
    async releaseAllOf(agentId) {
      await db.deleteFrom('cycle_leases').where('agent_id', '=', agentId).execute();
    },
  };
}
