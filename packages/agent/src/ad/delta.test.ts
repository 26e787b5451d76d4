import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Attribute, Change } from 'ldapts';
import {
  addMember,
  adFromEnv,
  createGroup,
  createOu,
  createUser,
  deleteEntry,
  escapeRdn,
  removeMember,
  UAC_DISABLED,
  withAdmin,
} from '../../../../tests/support/ad.js';
import { uniqueName } from '../../../../tests/support/unique.js';
import {
  createServiceAccount,
  removeServiceAccount,
  type ServiceAccount,
} from '../service-account/account.js';
import { readCredentials } from '../service-account/password.js';
import { isDisabled } from './attributes.js';
import { type AdConnection, connectAd } from './connection.js';
import {
  type AdChange,
  type DeltaOptions,
  detectDeletionStrategy,
  quietReconcileDueAt,
  readDelta,
  startDelta,
} from './delta.js';

const env = adFromEnv();
const conn = { url: env.ldapsUrl, tls: { caFile: env.caFile } };

function replace(type: string, value: string): Change {
  return new Change({ operation: 'replace', modification: new Attribute({ type, values: [value] }) });
}

/** `upsert <dn>` / `delete <guid> <reason>` lines, sorted, for exact comparison. */
function summary(changes: AdChange[]): string[] {
  return changes
    .map((c) => (c.type === 'upsert' ? `upsert ${c.object.dn}` : `delete ${c.guid} ${c.reason}`))
    .sort();
}

describe('DirSync delta as the least-privileged service account', () => {
  let admin: AdConnection;
  let svc: AdConnection;
  let account: ServiceAccount;
  let stateDir: string;

  before(async () => {
    admin = await connectAd({ ...conn, bindDn: env.adminUpn, password: env.adminPassword });
    stateDir = await mkdtemp(join(tmpdir(), 'cloudsync-delta-'));
    account = await createServiceAccount(admin, {
      domainRoot: env.baseDn,
      dnsDomainName: env.realm,
      features: { passwordHashSync: false, writeback: false },
      stateDir,
      name: uniqueName('csd'),
    });
    const creds = await readCredentials(stateDir);
    assert.ok(creds);
    svc = await connectAd({ ...conn, bindDn: creds.upn, password: creds.password });
  });

  after(async () => {
    await svc?.close();
    await removeServiceAccount(admin, { domainRoot: env.baseDn, accountDn: account.dn, stateDir });
    await admin.close();
    await rm(stateDir, { recursive: true, force: true });
  });

  test('the service account cannot see tombstones; Administrator can', async () => {
    // Make sure the domain has a tombstone to see.
    const ou = await createOu('tombprobe');
    const gone = await createUser({ ou, sam: 'tp' });
    await deleteEntry(gone.dn);
    assert.equal(await detectDeletionStrategy(svc, env.baseDn), 'reconcile');
    assert.equal(await detectDeletionStrategy(admin, env.baseDn), 'tombstones');
  });

  test('add, modify, rename, move, disable, delete and membership come through exactly', async () => {
    const ou = await createOu('delta');
    const sub = await createOu('sub', ou);
    const outside = await createOu('outside');
    const modified = await createUser({ ou, sam: 'mod', displayName: 'Before' });
    const renamed = await createUser({ ou, sam: 'ren' });
    const moved = await createUser({ ou, sam: 'mov' });
    const leaving = await createUser({ ou, sam: 'out' });
    const disabled = await createUser({ ou, sam: 'dis' });
    const deleted = await createUser({ ou, sam: 'del' });
    const untouched = await createUser({ ou, sam: 'same' });
    const group = await createGroup({ ou, name: 'dg' });
    await addMember(group.dn, untouched.dn);
    // A clock that jumps 10 minutes a call, so every delta may reconcile.
    let clock = Date.now();
    const now = () => {
      clock += 600_000;
      return new Date(clock);
    };
    const options: DeltaOptions = { domainRoot: env.baseDn, bases: [ou], now };

    let state = await startDelta(svc, options);
    const quiet = await readDelta(svc, state, options);
    assert.deepEqual(summary(quiet.changes), []);
    state = quiet.state;

    const guidOf = async (dn: string) => {
      const [e] = await admin.search(dn, {
        scope: 'base',
        attributes: ['objectGUID'],
        explicitBufferAttributes: ['objectGUID'],
      });
      const { guidToString } = await import('./attributes.js');
      assert.ok(Buffer.isBuffer(e?.objectGUID));
      return guidToString(e.objectGUID);
    };
    const leavingGuid = await guidOf(leaving.dn);
    const deletedGuid = await guidOf(deleted.dn);

    const added = await createUser({ ou, sam: 'add', displayName: 'New' });
    await withAdmin(async (c) => {
      await c.modify(modified.dn, [replace('displayName', 'After'), replace('title', 'Lead')]);
      await c.modifyDN(renamed.dn, `CN=${escapeRdn(`${renamed.sam}-renamed`)},${ou}`);
      await c.modifyDN(moved.dn, `CN=${escapeRdn(moved.sam)},${sub}`);
      await c.modifyDN(leaving.dn, `CN=${escapeRdn(leaving.sam)},${outside}`);
      await c.modify(disabled.dn, replace('userAccountControl', String(UAC_DISABLED)));
    });
    await deleteEntry(deleted.dn);
    await addMember(group.dn, added.dn);

    const result = await readDelta(svc, state, options);
    assert.equal(result.stats.strategy, 'reconcile');
    assert.equal(result.stats.reconciled, true);
    assert.deepEqual(
      summary(result.changes),
      [
        `delete ${deletedGuid} deleted`,
        `delete ${leavingGuid} left-scope`,
        `upsert CN=${escapeRdn(`${renamed.sam}-renamed`)},${ou}`,
        `upsert CN=${escapeRdn(moved.sam)},${sub}`,
        `upsert ${added.dn}`,
        `upsert ${disabled.dn}`,
        `upsert ${group.dn}`,
        `upsert ${modified.dn}`,
      ].sort(),
    );

    const byDn = new Map(
      result.changes.flatMap((c) => (c.type === 'upsert' ? [[c.object.dn, c] as const] : [])),
    );
    const mod = byDn.get(modified.dn);
    assert.deepEqual(mod?.object.text.displayName, ['After']);
    assert.deepEqual(mod?.object.text.title, ['Lead']);
    assert.ok(mod?.changedAttributes.includes('displayName'));
    const dis = byDn.get(disabled.dn);
    assert.ok(dis && isDisabled(dis.object));
    assert.deepEqual(byDn.get(group.dn)?.object.text.member?.sort(), [added.dn, untouched.dn].sort());
    // A whole object comes back, not only the changed attributes.
    assert.equal(byDn.get(`CN=${escapeRdn(moved.sam)},${sub}`)?.object.text.sAMAccountName?.[0], moved.sam);

    const again = await readDelta(svc, result.state, options);
    assert.deepEqual(summary(again.changes), []);

    // Within the minimum interval a deletion waits for the next reconciliation, then comes.
    const late = await createUser({ ou, sam: 'late' });
    const withLate = await readDelta(svc, again.state, options);
    assert.deepEqual(summary(withLate.changes), [`upsert ${late.dn}`]);
    const lateGuid = await guidOf(late.dn);
    await deleteEntry(late.dn);
    const soon = await readDelta(svc, withLate.state, {
      ...options,
      now: () => new Date(clock),
      reconcileMinIntervalMs: 3_600_000,
    });
    assert.deepEqual(summary(soon.changes), []);
    assert.equal(soon.stats.reconcileDeferred, true);
    const later = await readDelta(svc, soon.state, options);
    assert.deepEqual(summary(later.changes), [`delete ${lateGuid} deleted`]);
  });

  test('a quiet delta (a delete shows nothing else) reconciles at once, at most every quiet interval', async () => {
    const ou = await createOu('quiet');
    const [first, second, kept] = [
      await createUser({ ou, sam: 'qa' }),
      await createUser({ ou, sam: 'qb' }),
      await createUser({ ou, sam: 'qc' }),
    ];
    const group = await createGroup({ ou, name: 'qg' });
    await addMember(group.dn, kept.dn, (await createUser({ ou, sam: 'qd' })).dn);
    let clock = Date.now();
    const options: DeltaOptions = {
      domainRoot: env.baseDn,
      bases: [ou],
      now: () => new Date(clock),
      reconcileMinIntervalMs: 3_600_000,
      quietReconcileMinIntervalMs: 30_000,
    };
    const start = await startDelta(svc, options);
    // Other test files may move the shared DC's USN: quiet or not, no scan right after the start.
    const idle = await readDelta(svc, start, options);
    assert.equal(idle.stats.reconciled, false);

    clock += 60_000;
    await deleteEntry(first.dn);
    const r1 = await readDelta(svc, idle.state, options);
    assert.equal(r1.stats.quiet, true);
    assert.equal(r1.stats.reconciled, true, 'a quiet delta scans although the 1-hour interval is not over');
    assert.deepEqual(
      r1.changes.map((c) => c.type),
      ['delete'],
    );

    clock += 10_000;
    await deleteEntry(second.dn);
    const r2 = await readDelta(svc, r1.state, options);
    assert.equal(r2.stats.quiet, true);
    assert.equal(r2.stats.reconciled, false, 'within 30 s of the last scan: deferred');
    assert.equal(r2.stats.reconcileDueAt, new Date(clock + 20_000).toISOString());
    assert.equal(quietReconcileDueAt(r2.state, options)?.toISOString(), r2.stats.reconcileDueAt);
    assert.deepEqual(r2.changes, []);

    clock += 20_000;
    const r3 = await readDelta(svc, r2.state, options);
    assert.equal(r3.stats.reconciled, true, 'due now');
    assert.deepEqual(
      r3.changes.map((c) => c.type),
      ['delete'],
    );

    clock += 60_000;
    await withAdmin((c) => c.modify(kept.dn, [replace('displayName', 'Visible')]));
    const r4 = await readDelta(svc, r3.state, options);
    assert.equal(r4.stats.quiet, false, 'a visible change explains the move');
    assert.equal(r4.stats.reconciled, false);
    assert.equal(
      r4.stats.reconcileDueAt,
      new Date(Date.parse(r3.state.reconciledAt ?? '') + 3_600_000).toISOString(),
    );

    // A group whose only change is `member` may have lost a deleted member: still quiet.
    await removeMember(group.dn, kept.dn);
    const r5 = await readDelta(svc, r4.state, options);
    assert.deepEqual(summary(r5.changes), [`upsert ${group.dn}`]);
    const [groupChange] = r5.changes;
    assert.deepEqual(groupChange?.type === 'upsert' && groupChange.changedAttributes, ['member']);
    assert.equal(r5.stats.quiet, true);
    assert.equal(r5.stats.reconciled, true);
  });

  test('a delete is found by tombstone when the account can see them (Administrator)', async () => {
    const ou = await createOu('tomb');
    const gone = await createUser({ ou, sam: 'gone' });
    const options: DeltaOptions = { domainRoot: env.baseDn, bases: [ou], deletions: 'auto' };
    const state = await startDelta(admin, options);
    await deleteEntry(gone.dn);
    const result = await readDelta(admin, state, options);
    assert.equal(result.stats.strategy, 'tombstones');
    assert.equal(result.stats.reconciled, false);
    assert.equal(result.changes.length, 1);
    assert.equal(result.changes[0]?.type, 'delete');
  });
});
