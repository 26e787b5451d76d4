// For tests only: a page is applied as one transaction (SQLite and PostgreSQL). Faults are injected
// with a real trigger in the store that refuses one row, so nothing is mocked.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { type Change, pageAcknowledgementSchema } from '@cloudsync/protocol';
import { sql } from 'kysely';
import type { ApiFixture } from '../api/api-fixture.js';
import { type IngestFixture, startIngestFixture } from './ingest-fixture.js';

const DOMAIN = 'corp.example.test';

/** A user change; `n` makes its anchor, GUID and names. */
function user(n: number): Change {
  const sam = `tx${n}`;
  return {
    op: 'upsert',
    objectType: 'user',
    anchor: Buffer.alloc(16, n).toString('base64'),
    objectGuid: `${n.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`,
    distinguishedName: `CN=${sam},OU=Tx,DC=corp,DC=example,DC=test`,
    attributes: { userPrincipalName: `${sam}@${DOMAIN}`, displayName: `Tx ${n}`, accountEnabled: true },
  };
}

export function runApplyPageContract(label: string, databaseUrl: () => Promise<string | undefined>): void {
  describe(`a page is one transaction (${label})`, () => {
    let fx: ApiFixture;
    let configurationId: string;
    let version: number;
    let call: IngestFixture['call'];

    async function startCycle(): Promise<string> {
      const cycleId = randomUUID();
      const lease = await call('POST', `/agent/v1/configurations/${configurationId}/lease`, {
        cycleId,
        kind: 'delta',
      });
      assert.equal(lease.status, 200, lease.text);
      return cycleId;
    }

    const sendPage = (cycleId: string, sequence: number, changes: Change[]) =>
      call('POST', `/agent/v1/cycles/${cycleId}/pages`, {
        configurationId,
        configurationVersion: version,
        cycleId,
        kind: 'delta',
        sequence,
        changes,
      });

    async function endCycle(cycleId: string, pages: number) {
      const now = new Date().toISOString();
      const end = await call('POST', `/agent/v1/cycles/${cycleId}/end`, {
        configurationId,
        configurationVersion: version,
        cycleId,
        kind: 'delta',
        pages,
        counts: { upserts: 0, deletes: 0, outOfScope: 0, unchanged: 0 },
        startedAt: now,
        endedAt: now,
      });
      assert.equal(end.status, 200, end.text);
      await call('DELETE', `/agent/v1/configurations/${configurationId}/lease?cycleId=${cycleId}`);
      return end.body as { cycleState: string };
    }

    /** Rows of the store, counted (provisioning logs of a cycle, users of an anchor, …). */
    async function count(table: string, column: string, value: string): Promise<number> {
      const { rows } = await sql<{
        n: number | string;
      }>`select count(*) as n from ${sql.table(table)} where ${sql.ref(column)} = ${value}`.execute(
        fx.cloud.store.db,
      );
      return Number(rows[0]?.n ?? 0);
    }

    async function committedThrough(cycleId: string): Promise<number> {
      const { rows } = await sql<{
        c: number | string;
      }>`select committed_through as c from sync_cycles where id = ${cycleId}`.execute(fx.cloud.store.db);
      return Number(rows[0]?.c ?? 0);
    }

    /** A trigger that refuses inserting into `table` a row whose `column` is `value`; returns its removal. */
    async function refuseInsert(table: string, column: string, value: string): Promise<() => Promise<void>> {
      assert.match(`${table}${column}${value}`, /^[A-Za-z0-9_+/=]+$/, 'inlined into the trigger');
      const db = fx.cloud.store.db;
      if (fx.cloud.store.dialect === 'sqlite') {
        await sql
          .raw(
            `create trigger refuse_one before insert on ${table} when new.${column} = '${value}' begin select raise(abort, 'injected failure'); end`,
          )
          .execute(db);
        return async () => void (await sql.raw('drop trigger refuse_one').execute(db));
      }
      await sql
        .raw(
          `create function refuse_one() returns trigger language plpgsql as $$ begin if new.${column} = '${value}' then raise exception 'injected failure'; end if; return new; end $$`,
        )
        .execute(db);
      await sql
        .raw(`create trigger refuse_one before insert on ${table} for each row execute function refuse_one()`)
        .execute(db);
      return async () => {
        await sql.raw(`drop trigger refuse_one on ${table}`).execute(db);
        await sql.raw('drop function refuse_one').execute(db);
      };
    }

    before(async () => {
      ({ fx, configurationId, version, call } = await startIngestFixture(DOMAIN, await databaseUrl()));
    });
    after(() => fx.close());

    test('a page that fails half-way leaves nothing applied; sent again, it is applied once', async () => {
      const changes = [user(1), user(2), user(3)];
      const cycleId = await startCycle();
      // The second change's log entry is refused: the page fails after its first change was written.
      const allow = await refuseInsert('provisioning_logs', 'source_anchor', changes[1]?.anchor ?? '');
      const failed = await sendPage(cycleId, 1, changes);
      await allow();
      assert.equal(failed.status, 500, failed.text);
      assert.equal(await count('provisioning_logs', 'cycle_id', cycleId), 0);
      assert.equal(await count('users', 'on_premises_immutable_id', changes[0]?.anchor ?? ''), 0);
      assert.equal(await count('sync_objects', 'anchor', changes[0]?.anchor ?? ''), 0);
      assert.equal(await count('sync_cycle_pages', 'cycle_id', cycleId), 0);
      assert.equal(await committedThrough(cycleId), 0);

      const retried = await sendPage(cycleId, 1, changes);
      assert.equal(retried.status, 200, retried.text);
      const ack = pageAcknowledgementSchema.parse(retried.body);
      assert.equal(ack.duplicate, false);
      assert.deepEqual(
        ack.results.map((r) => r.result),
        ['applied', 'applied', 'applied'],
      );
      const again = pageAcknowledgementSchema.parse((await sendPage(cycleId, 1, changes)).body);
      assert.equal(again.duplicate, true);
      assert.deepEqual(again.results, ack.results);
      assert.equal(await count('provisioning_logs', 'cycle_id', cycleId), 3, 'one entry per object');
      for (const c of changes) assert.equal(await count('users', 'on_premises_immutable_id', c.anchor), 1);
      assert.equal((await endCycle(cycleId, 1)).cycleState, 'accepted');
    });

    test('a change that fails is rolled back alone; the rest of its page is applied', async () => {
      const changes = [user(11), user(12), user(13)];
      const cycleId = await startCycle();
      const allow = await refuseInsert('users', 'on_premises_immutable_id', changes[1]?.anchor ?? '');
      const res = await sendPage(cycleId, 1, changes);
      await allow();
      assert.equal(res.status, 200, res.text);
      const ack = pageAcknowledgementSchema.parse(res.body);
      assert.deepEqual(
        ack.results.map((r) => r.result),
        ['applied', 'error', 'applied'],
      );
      assert.match(ack.results[1]?.reason ?? '', /could not be written/);
      assert.equal(await count('users', 'on_premises_immutable_id', changes[1]?.anchor ?? ''), 0);
      assert.equal(await count('sync_objects', 'anchor', changes[1]?.anchor ?? ''), 0);
      assert.equal(await count('users', 'on_premises_immutable_id', changes[2]?.anchor ?? ''), 1);
      const failure = await count('provisioning_logs', 'source_anchor', changes[1]?.anchor ?? '');
      assert.equal(failure, 1, 'the failed change still has its log entry');
      assert.equal(await count('provisioning_logs', 'cycle_id', cycleId), 3);
      assert.equal((await endCycle(cycleId, 1)).cycleState, 'accepted');
    });

    test('two copies of a page sent at once are applied once', async () => {
      const changes = [user(21), user(22)];
      const cycleId = await startCycle();
      const [a, b] = await Promise.all([sendPage(cycleId, 1, changes), sendPage(cycleId, 1, changes)]);
      assert.equal(a.status, 200, a.text);
      assert.equal(b.status, 200, b.text);
      const acks = [a, b].map((r) => pageAcknowledgementSchema.parse(r.body));
      assert.deepEqual(acks.map((x) => x.duplicate).sort(), [false, true]);
      assert.equal(await count('provisioning_logs', 'cycle_id', cycleId), 2);
      assert.equal(await committedThrough(cycleId), 1);
      assert.equal((await endCycle(cycleId, 1)).cycleState, 'accepted');
    });
  });
}
