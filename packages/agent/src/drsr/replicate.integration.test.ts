// Against the Samba AD DC that `npm test` starts (CLOUDSYNC_TEST_AD): real NTLM, real sealing,
// real replication, compared with MD4 of the passwords the test set.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ntHash } from '@cloudsync/protocol';
import {
  addDomainRootAces,
  adFromEnv,
  createOu,
  createUser,
  deleteEntry,
  grantReplicationRights,
  REPLICATION_RIGHTS,
  readSid,
  setPassword,
  type TestUser,
} from '../../../../tests/support/ad.js';
import {
  DrsrError,
  parseWatermark,
  type ReplicatedAccount,
  replicateObject,
  replicateObjects,
  replicateSecrets,
} from './index.js';

const password = (): string => `Drs!${randomBytes(9).toString('base64url')}9a`;
const isCode = (code: string) => (e: unknown) => e instanceof DrsrError && e.code === code;

async function collect(run: AsyncIterable<ReplicatedAccount>): Promise<ReplicatedAccount[]> {
  const out: ReplicatedAccount[] = [];
  for await (const a of run) out.push(a);
  return out;
}

describe('MS-DRSR replication against Samba AD', { timeout: 300_000 }, () => {
  const ad = adFromEnv();
  let ou: string;
  let syncer: TestUser;
  let syncerPassword: string;
  let outsider: TestUser;
  let outsiderPassword: string;
  let alice: TestUser;
  let alicePassword: string;
  const creds = (user: TestUser, pw: string) => ({
    domain: ad.netbiosDomain,
    username: user.sam,
    password: pw,
  });

  before(async () => {
    ou = await createOu('drsr');
    syncerPassword = password();
    outsiderPassword = password();
    alicePassword = password();
    syncer = await createUser({ ou, sam: 'drs', password: syncerPassword });
    outsider = await createUser({ ou, sam: 'drsno', password: outsiderPassword });
    alice = await createUser({ ou, sam: 'alice', password: alicePassword });
    await grantReplicationRights(await readSid(syncer.dn));
  });

  it('replicates the domain as a least-privileged account and returns MD4 of the password', async () => {
    const run = replicateSecrets({ host: ad.ip, credentials: creds(syncer, syncerPassword), pageSize: 100 });
    const accounts = await collect(run);
    const got = accounts.find((a) => a.sAMAccountName === alice.sam);
    assert.ok(got, 'alice is in the replica');
    assert.equal(got.ntHash?.toString('hex'), ntHash(alicePassword).toString('hex'));
    assert.equal(got.distinguishedName, alice.dn);
    assert.equal(got.userPrincipalName, alice.upn);
    assert.equal(got.userAccountControl, 512);
    assert.equal(got.isDeleted, false);
    assert.match(got.sid ?? '', /^S-1-5-21-\d+-\d+-\d+-\d+$/);
    assert.ok(
      accounts.every((a) => !a.sAMAccountName?.endsWith('$')),
      'no computer accounts by default',
    );
    const wm = run.watermark;
    assert.ok(wm, 'a finished run has a watermark');
    assert.ok(BigInt(wm.highObjUpdate) > 0n);
    assert.ok(wm.upToDateness.some((c) => c.invocationId === wm.invocationId));
    for (const a of accounts) a.ntHash?.fill(0);

    // Change alice's password; an incremental run from the saved watermark returns only that.
    const saved = JSON.stringify(wm);
    const newPassword = password();
    await setPassword(alice.dn, newPassword);
    const next = replicateSecrets({
      host: ad.ip,
      credentials: creds(syncer, syncerPassword),
      since: parseWatermark(saved),
    });
    const changed = await collect(next);
    assert.equal(next.restartedFromScratch, false);
    const again = changed.find((a) => a.objectGuid === got.objectGuid);
    assert.ok(again, 'alice comes back after her password changed');
    assert.equal(again.ntHash?.toString('hex'), ntHash(newPassword).toString('hex'));
    const krbtgt = accounts.find((a) => a.sAMAccountName === 'krbtgt');
    assert.ok(krbtgt, 'the full run has krbtgt');
    assert.ok(!changed.some((a) => a.objectGuid === krbtgt.objectGuid), 'unchanged accounts stay out');
    assert.equal(again.sAMAccountName, undefined, 'an incremental run carries only changed attributes');
    assert.ok(again.pwdLastSet instanceof Date);
    assert.ok(next.watermark);
    assert.ok(BigInt(next.watermark.highObjUpdate) > BigInt(wm.highObjUpdate));
  });

  it('returns a deleted account as deleted in the next incremental run', async () => {
    const credentials = creds(syncer, syncerPassword);
    const leaver = await createUser({ ou, sam: 'leaver', password: password() });
    const first = replicateSecrets({ host: ad.ip, credentials });
    const before = (await collect(first)).find((a) => a.sAMAccountName === leaver.sam);
    assert.ok(before && first.watermark);
    before.ntHash?.fill(0);
    await deleteEntry(leaver.dn);
    const next = replicateSecrets({ host: ad.ip, credentials, since: first.watermark });
    const gone = (await collect(next)).find((a) => a.objectGuid === before.objectGuid);
    assert.ok(gone, 'the deletion replicates');
    assert.equal(gone.isDeleted, true);
    assert.match(gone.distinguishedName, /Deleted Objects/);
    assert.equal(gone.ntHash, undefined, 'a tombstone keeps no password');
  });

  it("starts from scratch when the watermark is another DC's", async () => {
    const credentials = creds(syncer, syncerPassword);
    const first = replicateSecrets({ host: ad.ip, credentials });
    const all = await collect(first);
    assert.ok(first.watermark);
    const foreign = { ...first.watermark, invocationId: '0badc0de-0000-4000-8000-000000000001' };
    const run = replicateSecrets({ host: ad.ip, credentials, since: foreign });
    const again = await collect(run);
    assert.equal(run.restartedFromScratch, true);
    assert.equal(again.length, all.length);
    assert.equal(run.watermark?.invocationId, first.watermark.invocationId);
    for (const a of [...all, ...again]) a.ntHash?.fill(0);
  });

  it('reports an unknown account or DN as not found', async () => {
    const credentials = creds(syncer, syncerPassword);
    await assert.rejects(
      replicateObject({ host: ad.ip, credentials, account: 'nobody-here' }),
      isCode('drsr.name_not_found'),
    );
    await assert.rejects(
      replicateObject({ host: ad.ip, credentials, account: `CN=nobody-here,${ou}` }),
      isCode('drsr.name_not_found'),
    );
  });

  it('sends an up-to-date vector the DC honours on its own', async () => {
    const credentials = creds(syncer, syncerPassword);
    const first = replicateSecrets({ host: ad.ip, credentials });
    const all = await collect(first);
    assert.ok(first.watermark && all.length > 0);
    // With the USN high-water mark at zero, only the cursors can keep seen changes out.
    const cursorsOnly = { ...first.watermark, highObjUpdate: '0', highPropUpdate: '0' };
    const seen = await collect(replicateSecrets({ host: ad.ip, credentials, since: cursorsOnly }));
    for (const name of ['krbtgt', alice.sam]) {
      const unchanged = all.find((a) => a.sAMAccountName === name);
      assert.ok(unchanged, `${name} is in the full run`);
      assert.ok(!seen.some((a) => a.objectGuid === unchanged.objectGuid), `${name}, unchanged, stays out`);
    }
    for (const a of [...all, ...seen]) a.ntHash?.fill(0);
  });

  it('includes computer accounts when asked', async () => {
    const all = await collect(
      replicateSecrets({ host: ad.ip, credentials: creds(syncer, syncerPassword), includeComputers: true }),
    );
    const dc = all.find((a) => a.sAMAccountName?.endsWith('$'));
    assert.ok(dc, 'the DC machine account is there');
    assert.ok(dc.objectClass?.includes('1.2.840.113556.1.3.30'), 'it is a computer');
    assert.equal(dc.ntHash?.length, 16);
    for (const a of all) a.ntHash?.fill(0);
  });

  it("agrees with Samba's own client (the reference oracle) on the NT hash", async (t) => {
    const oracle = fileURLToPath(
      new URL('../../../../../shared/reference/drsr/dcsync_probe.py', import.meta.url),
    );
    const conf = join(dirname(oracle), 'client.conf');
    if (!existsSync(oracle)) {
      t.skip(`reference oracle not found at ${oracle}`);
      return;
    }
    const ours = await replicateObject({
      host: ad.ip,
      credentials: creds(syncer, syncerPassword),
      account: alice.sam,
    });
    const run = spawnSync(
      '/usr/bin/python3',
      [
        oracle,
        '-U',
        `${ad.netbiosDomain}\\${syncer.sam}%${syncerPassword}`,
        '--target',
        ad.ip,
        '--account',
        alice.sam,
        '--conf',
        conf,
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
    const theirs = /NT hash \(manual\)\s+= ([0-9a-f]{32})/.exec(run.stdout)?.[1];
    assert.ok(theirs, `oracle output: ${run.stdout}${run.stderr}`);
    assert.equal(ours.ntHash?.toString('hex'), theirs);
    ours.ntHash?.fill(0);
  });

  it('accepts the DNS domain name as well as the NetBIOS one', async () => {
    const one = await replicateObject({
      host: ad.ip,
      credentials: { domain: ad.realm.toLowerCase(), username: syncer.sam, password: syncerPassword },
      account: alice.sam,
    });
    assert.equal(one.distinguishedName, alice.dn);
    assert.equal(one.ntHash?.length, 16);
    one.ntHash?.fill(0);
  });

  it('replicates a list of accounts over one session, marking unknown names', async () => {
    const got = [];
    for await (const r of replicateObjects({
      host: ad.ip,
      credentials: creds(syncer, syncerPassword),
      accounts: [syncer.sam, 'nobody-at-all', outsider.dn],
    })) {
      got.push({ account: r.account, hash: r.replicated?.ntHash?.toString('hex') });
      r.replicated?.ntHash?.fill(0);
    }
    assert.deepEqual(got, [
      { account: syncer.sam, hash: ntHash(syncerPassword).toString('hex') },
      { account: 'nobody-at-all', hash: undefined },
      { account: outsider.dn, hash: ntHash(outsiderPassword).toString('hex') },
    ]);
  });

  it('replicates one account with EXOP_REPL_OBJ', async () => {
    const one = await replicateObject({
      host: ad.ip,
      credentials: creds(syncer, syncerPassword),
      account: syncer.sam,
    });
    assert.equal(one.sAMAccountName, syncer.sam);
    assert.equal(one.ntHash?.toString('hex'), ntHash(syncerPassword).toString('hex'));
    one.ntHash?.fill(0);
  });

  it('tells an account without replication rights what to grant', async () => {
    await assert.rejects(
      collect(replicateSecrets({ host: ad.ip, credentials: creds(outsider, outsiderPassword) })),
      (e) =>
        isCode('drsr.missing_rights')(e) &&
        e instanceof Error &&
        e.message.includes('Replicating Directory Changes All') &&
        e.message.includes(ad.baseDn) &&
        e.message.includes(outsider.sam),
    );
  });

  it('treats "Replicating Directory Changes" alone as missing rights', async () => {
    const halfPassword = password();
    const half = await createUser({ ou, sam: 'drshalf', password: halfPassword });
    const sid = await readSid(half.dn);
    await addDomainRootAces(`(OA;;CR;${REPLICATION_RIGHTS.getChanges};;${sid})`);
    await assert.rejects(
      replicateObject({ host: ad.ip, credentials: creds(half, halfPassword), account: alice.sam }),
      isCode('drsr.missing_rights'),
    );
  });

  it('reports a wrong password as bad credentials', async () => {
    await assert.rejects(
      replicateObject({ host: ad.ip, credentials: creds(syncer, `${syncerPassword}x`), account: syncer.sam }),
      isCode('drsr.bad_credentials'),
    );
  });

  it('reports a closed port as unreachable', async () => {
    await assert.rejects(
      replicateObject({ host: ad.ip, port: 1, credentials: creds(syncer, syncerPassword), account: 'x' }),
      isCode('drsr.unreachable'),
    );
  });

  it('stops when the caller aborts', async () => {
    const controller = new AbortController();
    const run = replicateSecrets({
      host: ad.ip,
      credentials: creds(syncer, syncerPassword),
      signal: controller.signal,
      pageSize: 1,
    });
    let seen = 0;
    await assert.rejects(
      (async () => {
        for await (const a of run) {
          a.ntHash?.fill(0);
          seen++;
          controller.abort();
        }
      })(),
      isCode('drsr.aborted'),
    );
    assert.equal(seen, 1);
    assert.equal(run.watermark, undefined);
  });
});
