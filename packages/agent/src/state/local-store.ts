// The agent's durable local state: per-configuration cursors, what was last exported per anchor (for
// diffing and member resolution), the outbox of unacknowledged pages and a short cycle history.
// One SQLite file in WAL mode, so a crash at any point leaves the last committed state.
import { join } from 'node:path';
import {
  type ChangeSetPage,
  changeSetPageSchema,
  type DrsrWatermark,
  drsrWatermarkSchema,
  type ErrorBody,
  errorBodySchema,
  type ObjectType,
  type TargetAttributes,
  targetAttributesSchema,
} from '@cloudsync/protocol';
import Database from 'better-sqlite3';
import { z } from 'zod';

export const STATE_DB_FILE = 'state.db';

const SCHEMA = `
create table if not exists cursors (
  configuration_id text primary key,
  configuration_version integer not null,
  delta_state text,
  drsr_watermark text,
  last_cycle_id text,
  updated_at text not null
);
create table if not exists exports (
  configuration_id text not null,
  anchor text not null,
  object_guid text not null,
  object_type text not null,
  dn_key text not null,
  attributes text not null,
  hash_synced integer not null default 0,
  primary key (configuration_id, anchor)
);
create index if not exists exports_guid on exports (configuration_id, object_guid);
create index if not exists exports_dn on exports (configuration_id, dn_key);
create table if not exists outbox (
  cycle_id text not null,
  sequence integer not null,
  configuration_id text not null,
  body text not null,
  primary key (cycle_id, sequence)
);
create table if not exists cycles (
  cycle_id text primary key,
  configuration_id text not null,
  kind text not null,
  started_at text not null,
  ended_at text,
  state text not null,
  summary text not null
);
create table if not exists kv (key text primary key, value text not null);
`;

/** The delta cursor of `ad/delta.ts` (DirSync cookie, USN, objectGUIDs in scope), as stored. */
export const deltaStateSchema = z.object({
  cookie: z.string(),
  reconciledUsn: z.string(),
  known: z.string(),
  reconciledAt: z.string().optional(),
  /** A `groups` scope's members after the last cycle (`encodeGuidSet`), see cycle/read-source.ts. */
  groupScope: z.string().optional(),
});

/** A configuration's cursors. */
export interface StoredCursor {
  configurationId: string;
  configurationVersion: number;
  deltaState: z.infer<typeof deltaStateSchema> | undefined;
  drsrWatermark: DrsrWatermark | undefined;
  lastCycleId: string | undefined;
  updatedAt: string;
}

/** What the agent exported for one object. */
export interface ExportRecord {
  anchor: string;
  objectGuid: string;
  objectType: ObjectType;
  distinguishedName: string;
  attributes: TargetAttributes;
}

/** A cycle as the status command shows it. */
export interface CycleSummary {
  cycleId: string;
  configurationId: string;
  kind: 'full' | 'delta';
  startedAt: string;
  endedAt?: string;
  /** `running`, the cloud's cycle state, or `failed`. */
  state: string;
  pages?: number;
  counts?: Record<string, number>;
  passwordHashes?: { sent: number; failed: number };
  error?: ErrorBody;
}

const cycleSummarySchema = z.object({
  cycleId: z.string(),
  configurationId: z.string(),
  kind: z.enum(['full', 'delta']),
  startedAt: z.string(),
  endedAt: z.string().optional(),
  state: z.string(),
  pages: z.number().optional(),
  counts: z.record(z.string(), z.number()).optional(),
  passwordHashes: z.object({ sent: z.number(), failed: z.number() }).optional(),
  error: errorBodySchema.optional(),
});

const cursorRow = z.object({
  configuration_id: z.string(),
  configuration_version: z.number(),
  delta_state: z.string().nullable(),
  drsr_watermark: z.string().nullable(),
  last_cycle_id: z.string().nullable(),
  updated_at: z.string(),
});
const exportRow = z.object({
  anchor: z.string(),
  object_guid: z.string(),
  object_type: z.enum(['user', 'group', 'contact']),
  dn_key: z.string(),
  attributes: z.string(),
});

/** The lower-cased DN used to find an export by DN (members are DNs). */
export function dnKeyOf(dn: string): string {
  return dn.toLowerCase().replace(/\s*,\s*/g, ',');
}

/** What the cycle commits once the cloud said `advanceCursor: true`. */
export interface CycleCommit {
  configurationId: string;
  configurationVersion: number;
  cycleId: string;
  /** The new delta cursor; undefined keeps the stored one. */
  deltaState?: z.infer<typeof deltaStateSchema>;
  /** Anchors to record as exported (upserts) or forget (deletes, out of scope). */
  exported: readonly ExportRecord[];
  forgotten: readonly string[];
  /** A full cycle: exports of this configuration not in `exported` are forgotten. */
  replaceAll: boolean;
  now: Date;
}

/**
 * Opens (creating if needed) the local state database in `stateDir`.
 * @example
 *   const store = openLocalStore('/var/lib/cloudsync-agent');
 *   const cursor = store.cursor(configurationId);
 */
export function openLocalStore(stateDir: string) {
  const db = new Database(join(stateDir, STATE_DB_FILE));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(SCHEMA);

  const parseJson = (text: string | null): unknown => (text === null ? undefined : JSON.parse(text));

  function cursor(configurationId: string): StoredCursor | undefined {
    const raw = db.prepare('select * from cursors where configuration_id = ?').get(configurationId);
    if (!raw) return undefined;
    const row = cursorRow.parse(raw);
    const delta = parseJson(row.delta_state);
    const watermark = parseJson(row.drsr_watermark);
    return {
      configurationId: row.configuration_id,
      configurationVersion: row.configuration_version,
      deltaState: delta === undefined ? undefined : deltaStateSchema.parse(delta),
      drsrWatermark: watermark === undefined ? undefined : drsrWatermarkSchema.parse(watermark),
      lastCycleId: row.last_cycle_id ?? undefined,
      updatedAt: row.updated_at,
    };
  }

  const upsertExport = db.prepare(
    `insert into exports (configuration_id, anchor, object_guid, object_type, dn_key, attributes, hash_synced)
     values (@configurationId, @anchor, @objectGuid, @objectType, @dnKey, @attributes, 0)
     on conflict (configuration_id, anchor) do update set object_guid = excluded.object_guid,
       object_type = excluded.object_type, dn_key = excluded.dn_key, attributes = excluded.attributes`,
  );
  const deleteExport = db.prepare('delete from exports where configuration_id = ? and anchor = ?');
  // Prepared once: the plan looks up every imported object (10,000 lookups in a large full cycle).
  const exportByAnchor = db.prepare('select * from exports where configuration_id = ? and anchor = ?');
  const anchorByDn = db.prepare('select anchor from exports where configuration_id = ? and dn_key = ?');
  const exportByGuid = db.prepare('select * from exports where configuration_id = ? and object_guid = ?');

  const commitCycle = db.transaction((c: CycleCommit) => {
    if (c.replaceAll) {
      db.exec('create temp table if not exists keep (anchor text primary key)');
      db.exec('delete from temp.keep');
      const keep = db.prepare('insert or ignore into temp.keep (anchor) values (?)');
      for (const e of c.exported) keep.run(e.anchor);
      db.prepare(
        'delete from exports where configuration_id = ? and anchor not in (select anchor from temp.keep)',
      ).run(c.configurationId);
    }
    for (const e of c.exported) {
      upsertExport.run({
        configurationId: c.configurationId,
        anchor: e.anchor,
        objectGuid: e.objectGuid,
        objectType: e.objectType,
        dnKey: dnKeyOf(e.distinguishedName),
        attributes: JSON.stringify(e.attributes),
      });
    }
    for (const anchor of c.forgotten) deleteExport.run(c.configurationId, anchor);
    const existing = cursor(c.configurationId);
    const delta = c.deltaState ?? existing?.deltaState;
    db.prepare(
      `insert into cursors (configuration_id, configuration_version, delta_state, drsr_watermark, last_cycle_id, updated_at)
       values (?, ?, ?, ?, ?, ?)
       on conflict (configuration_id) do update set configuration_version = excluded.configuration_version,
         delta_state = excluded.delta_state, last_cycle_id = excluded.last_cycle_id, updated_at = excluded.updated_at`,
    ).run(
      c.configurationId,
      c.configurationVersion,
      delta ? JSON.stringify(delta) : null,
      existing?.drsrWatermark ? JSON.stringify(existing.drsrWatermark) : null,
      c.cycleId,
      c.now.toISOString(),
    );
    db.prepare('delete from outbox where cycle_id = ?').run(c.cycleId);
  });

  function previousExport(configurationId: string, anchor: string): ExportRecord | undefined {
    const raw = exportByAnchor.get(configurationId, anchor);
    return raw ? toExport(raw) : undefined;
  }

  function toExport(raw: unknown): ExportRecord {
    const row = exportRow.parse(raw);
    return {
      anchor: row.anchor,
      objectGuid: row.object_guid,
      objectType: row.object_type,
      distinguishedName: row.dn_key,
      attributes: targetAttributesSchema.parse(JSON.parse(row.attributes)),
    };
  }

  return {
    cursor,
    commitCycle: (c: CycleCommit) => commitCycle(c),
    previousExport,
    /** The anchor exported for a DN (case-insensitive), if any. */
    anchorOfDn(configurationId: string, dn: string): string | undefined {
      const row = anchorByDn.get(configurationId, dnKeyOf(dn));
      return row ? z.object({ anchor: z.string() }).parse(row).anchor : undefined;
    },
    /** The exported user with this objectGUID (lower-case string form), if any. */
    exportedByGuid(configurationId: string, objectGuid: string): ExportRecord | undefined {
      const raw = exportByGuid.get(configurationId, objectGuid.toLowerCase());
      return raw ? toExport(raw) : undefined;
    },
    /** Exported users whose password hash was never sent (new in scope, or after a restart). */
    usersWithoutHash(configurationId: string): ExportRecord[] {
      return db
        .prepare(
          "select * from exports where configuration_id = ? and object_type = 'user' and hash_synced = 0",
        )
        .all(configurationId)
        .map(toExport);
    },
    markHashSynced(configurationId: string, anchors: readonly string[]): void {
      const stmt = db.prepare('update exports set hash_synced = 1 where configuration_id = ? and anchor = ?');
      db.transaction(() => {
        for (const a of anchors) stmt.run(configurationId, a);
      })();
    },
    /** Stores the DRSR watermark once the hashes it covers were accepted. */
    commitWatermark(configurationId: string, watermark: DrsrWatermark, now: Date): void {
      db.prepare('update cursors set drsr_watermark = ?, updated_at = ? where configuration_id = ?').run(
        JSON.stringify(watermark),
        now.toISOString(),
        configurationId,
      );
    },
    /** Restart: forget the cursors and which hashes were sent, so the next cycle is full. */
    clearCursors(configurationId: string): void {
      db.transaction(() => {
        db.prepare('delete from cursors where configuration_id = ?').run(configurationId);
        db.prepare('update exports set hash_synced = 0 where configuration_id = ?').run(configurationId);
      })();
    },
    /** Records a page before it is sent; it stays until the cycle commits or is abandoned. */
    putPage(page: ChangeSetPage): void {
      db.prepare(
        'insert or replace into outbox (cycle_id, sequence, configuration_id, body) values (?, ?, ?, ?)',
      ).run(page.cycleId, page.sequence, page.configurationId, JSON.stringify(page));
    },
    /** Pages of cycles that never ended (the agent stopped mid-cycle). */
    pendingPages(): ChangeSetPage[] {
      return db
        .prepare('select body from outbox order by cycle_id, sequence')
        .all()
        .map((r) => changeSetPageSchema.parse(JSON.parse(z.object({ body: z.string() }).parse(r).body)));
    },
    dropCycle(cycleId: string): void {
      db.prepare('delete from outbox where cycle_id = ?').run(cycleId);
    },
    recordCycle(summary: CycleSummary): void {
      db.prepare(
        `insert or replace into cycles (cycle_id, configuration_id, kind, started_at, ended_at, state, summary)
         values (?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        summary.cycleId,
        summary.configurationId,
        summary.kind,
        summary.startedAt,
        summary.endedAt ?? null,
        summary.state,
        JSON.stringify(summary),
      );
      db.prepare(
        'delete from cycles where cycle_id not in (select cycle_id from cycles order by started_at desc limit 50)',
      ).run();
    },
    lastCycles(limit = 5): CycleSummary[] {
      return db
        .prepare('select summary from cycles order by started_at desc limit ?')
        .all(limit)
        .map(
          (r): CycleSummary =>
            cycleSummarySchema.parse(JSON.parse(z.object({ summary: z.string() }).parse(r).summary)),
        );
    },
    getValue(key: string): string | undefined {
      const row = db.prepare('select value from kv where key = ?').get(key);
      return row ? z.object({ value: z.string() }).parse(row).value : undefined;
    },
    setValue(key: string, value: string | undefined): void {
      if (value === undefined) db.prepare('delete from kv where key = ?').run(key);
      else db.prepare('insert or replace into kv (key, value) values (?, ?)').run(key, value);
    },
    exportCount(configurationId: string): number {
      const row = db
        .prepare('select count(*) as n from exports where configuration_id = ?')
        .get(configurationId);
      return z.object({ n: z.number() }).parse(row).n;
    },
    close(): void {
      db.close();
    },
  };
}

/** The agent's local state database (see {@link openLocalStore}). */
export type LocalStore = ReturnType<typeof openLocalStore>;
