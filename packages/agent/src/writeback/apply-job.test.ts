// applyWritebackJob against the test DC: a reset unlocks a locked-out account (locked for real, by
// wrong passwords under a fine-grained password policy that applies to this test's users alone),
// leaves an account that is not locked as it was, and refuses a DN that no longer holds the anchor;
// a change with the old password (the same policy's minimum age 0 lets it through today) takes the
// right old password and refuses a wrong one; "must change at next logon" is kept or cleared.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { WritebackJob } from '@cloudsync/protocol';
import { Attribute, Change } from 'ldapts';
import {
  adFromEnv,
  bindAs,
  createOu,
  createPasswordSettings,
  createUser,
  deleteEntry,
  type TestUser,
  withAdmin,
} from '../../../../tests/support/ad.js';
import { type AdConnection, connectAd } from '../ad/connection.js';
import { applyWritebackJob } from './apply-job.js';

const env = adFromEnv();
const START = 'Start-Passw0rd!1';
let ad: AdConnection;
let ou: string;
let pso: string;
let locked: TestUser;
let free: TestUser;
let changer: TestUser;

async function read(dn: string, attributes: string[]): Promise<Record<string, unknown>> {
  const [entry] = await ad.search(dn, {
    scope: 'base',
    filter: '(objectClass=user)',
    attributes,
    explicitBufferAttributes: ['objectGUID'],
  });
  if (!entry) throw new Error(`no entry at ${dn}`);
  return entry;
}

const lockoutTime = async (dn: string) => String((await read(dn, ['lockoutTime'])).lockoutTime ?? '');

async function job(
  user: TestUser,
  unlockAccount: boolean,
  more: Partial<Pick<WritebackJob, 'kind' | 'forceChangeAtNextLogon'>> = {},
): Promise<WritebackJob> {
  const guid = (await read(user.dn, ['objectGUID'])).objectGUID;
  if (!Buffer.isBuffer(guid)) throw new Error('no objectGUID');
  return {
    jobId: randomUUID(),
    configurationId: randomUUID(),
    kind: 'password-reset',
    anchor: guid.toString('base64'),
    distinguishedName: user.dn,
    encrypted: 'not.opened.by.apply.job.in.this.test',
    unlockAccount,
    forceChangeAtNextLogon: false,
    expiresAt: new Date(Date.now() + 60_000).toISOString(),
    ...more,
  };
}

const refused = (dn: string, password: string) =>
  bindAs(dn, password).then(
    () => false,
    () => true,
  );

before(async () => {
  ad = await connectAd({
    url: env.ldapsUrl,
    bindDn: env.adminUpn,
    password: env.adminPassword,
    tls: { caFile: env.caFile },
  });
  ou = await createOu('writeback');
  locked = await createUser({ ou, sam: 'wblock', password: START });
  free = await createUser({ ou, sam: 'wbfree', password: START });
  changer = await createUser({ ou, sam: 'wbchange', password: START });
  // Lockout after 2 wrong passwords, for these users only (the domain's policy never locks).
  pso = await createPasswordSettings({ appliesTo: [locked.dn, free.dn, changer.dn], lockoutThreshold: 2 });
});

after(async () => {
  await deleteEntry(pso).catch(() => undefined);
  await deleteEntry(ou).catch(() => undefined);
  await ad?.close();
});

test('a reset with unlock opens a locked-out account: AD takes the new password at once', async () => {
  for (let i = 0; i < 3; i++) assert.equal(await refused(locked.dn, 'Wrong-Passw0rd!9'), true);
  assert.notEqual(await lockoutTime(locked.dn), '0', 'the wrong passwords locked the account');
  assert.equal(await refused(locked.dn, START), true, 'locked: even the right password is refused');

  const next = 'Next-Passw0rd!2';
  const result = await applyWritebackJob(ad, await job(locked, true), { jobId: 'x', newPassword: next });
  assert.equal(result.status, 'succeeded');
  assert.equal(await lockoutTime(locked.dn), '0');
  assert.equal(await refused(locked.dn, next), false, 'unlocked, with the new password');
});

test('a reset without unlock leaves a locked-out account locked', async () => {
  for (let i = 0; i < 3; i++) assert.equal(await refused(free.dn, 'Wrong-Passw0rd!9'), true);
  assert.notEqual(await lockoutTime(free.dn), '0');
  const next = 'Other-Passw0rd!3';
  const result = await applyWritebackJob(ad, await job(free, false), { jobId: 'x', newPassword: next });
  assert.equal(result.status, 'succeeded');
  assert.notEqual(await lockoutTime(free.dn), '0', 'still locked');
  assert.equal(await refused(free.dn, next), true);
});

test('a reset with unlock of an account that is not locked sets the password and nothing else', async () => {
  const user = await createUser({ ou, sam: 'wbopen', password: START });
  const before = await lockoutTime(user.dn);
  assert.ok(before === '' || before === '0', `not locked: ${before}`);
  const next = 'Third-Passw0rd!4';
  const result = await applyWritebackJob(ad, await job(user, true), { jobId: 'x', newPassword: next });
  assert.equal(result.status, 'succeeded');
  assert.equal(await lockoutTime(user.dn), before);
  assert.equal(await refused(user.dn, next), false);
});

test('a DN that does not hold the anchor is not touched', async () => {
  const other = await createUser({ ou, sam: 'wbother', password: START });
  const wrong = { ...(await job(other, true)), anchor: Buffer.alloc(16, 7).toString('base64') };
  const result = await applyWritebackJob(ad, wrong, { jobId: 'x', newPassword: 'Never-Passw0rd!5' });
  assert.equal(result.status, 'failed');
  assert.equal(result.code, 'VALIDATION_FAILED');
  assert.equal(await refused(other.dn, START), false, 'the old password still works');
});

test('a change with the right old password takes the new one; a wrong old password is refused and changes nothing', async () => {
  const change = await job(changer, false, { kind: 'password-change' });
  const wrong = await applyWritebackJob(ad, change, {
    jobId: change.jobId,
    oldPassword: 'Not-The-Passw0rd!7',
    newPassword: 'Never-Passw0rd!6',
  });
  assert.equal(wrong.status, 'failed');
  assert.equal(wrong.code, 'WRITEBACK_REFUSED');
  assert.match(wrong.adMessage ?? '', /old password specified doesn't match/, 'AD says why');
  assert.equal(await refused(changer.dn, START), false, 'the old password still works');
  assert.equal(await refused(changer.dn, 'Never-Passw0rd!6'), true);

  const next = 'Changed-Passw0rd!7';
  const right = await applyWritebackJob(ad, change, {
    jobId: change.jobId,
    oldPassword: START,
    newPassword: next,
  });
  assert.equal(right.status, 'succeeded');
  assert.equal(await refused(changer.dn, next), false, 'AD takes the new password');
  // The old one is proven gone by a second change from it: AD checks the current password only
  // (a simple bind would still take it for an hour, Samba's "old password allowed period").
  const again = await applyWritebackJob(ad, change, {
    jobId: change.jobId,
    oldPassword: START,
    newPassword: 'Again-Passw0rd!8',
  });
  assert.equal(again.status, 'failed');
  assert.equal(again.code, 'WRITEBACK_REFUSED');
  assert.match(again.adMessage ?? '', /old password specified doesn't match/);
});

test('"must change at next logon" (pwdLastSet 0) is kept when the job asks, and cleared when it does not', async () => {
  const pwdLastSet = async (dn: string) => String((await read(dn, ['pwdLastSet'])).pwdLastSet ?? '');
  for (const keep of [true, false]) {
    const user = await createUser({ ou, sam: keep ? 'wbkeep' : 'wbclear', password: START });
    await withAdmin((c) =>
      c.modify(user.dn, [
        new Change({
          operation: 'replace',
          modification: new Attribute({ type: 'pwdLastSet', values: ['0'] }),
        }),
      ]),
    );
    assert.equal(await pwdLastSet(user.dn), '0', 'must change at next logon');
    const result = await applyWritebackJob(ad, await job(user, false, { forceChangeAtNextLogon: keep }), {
      jobId: 'x',
      newPassword: keep ? 'Kept-Passw0rd!9' : 'Cleared-Passw0rd!9',
    });
    assert.equal(result.status, 'succeeded');
    const after = await pwdLastSet(user.dn);
    if (keep) assert.equal(after, '0', 'still must change at next logon');
    else assert.match(after, /^[1-9]\d+$/, `cleared: the time of the reset (${after})`);
  }
});
