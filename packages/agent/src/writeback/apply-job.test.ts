// applyWritebackJob against the test DC: a reset unlocks a locked-out account (locked for real, by
// wrong passwords under a fine-grained password policy that applies to this test's users alone),
// leaves an account that is not locked as it was, and refuses a DN that no longer holds the anchor.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { WritebackJob } from '@cloudsync/protocol';
import {
  adFromEnv,
  bindAs,
  createOu,
  createUser,
  deleteEntry,
  escapeRdn,
  type TestUser,
  withAdmin,
} from '../../../../tests/support/ad.js';
import { uniqueName } from '../../../../tests/support/unique.js';
import { type AdConnection, connectAd } from '../ad/connection.js';
import { applyWritebackJob } from './apply-job.js';

const env = adFromEnv();
const START = 'Start-Passw0rd!1';
/** 30 minutes, as AD writes intervals: negative, in 100 ns units. */
const HALF_HOUR = String(-30n * 60n * 10_000_000n);
let ad: AdConnection;
let ou: string;
let pso: string;
let locked: TestUser;
let free: TestUser;

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

async function job(user: TestUser, unlockAccount: boolean): Promise<WritebackJob> {
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
  // Lockout after 2 wrong passwords, for these two users only (the domain's policy never locks).
  pso = `CN=${escapeRdn(uniqueName('wbpso', 60))},CN=Password Settings Container,CN=System,${env.baseDn}`;
  await withAdmin((c) =>
    c.add(pso, {
      objectClass: ['top', 'msDS-PasswordSettings'],
      'msDS-PasswordSettingsPrecedence': '10',
      'msDS-PasswordReversibleEncryptionEnabled': 'FALSE',
      'msDS-PasswordHistoryLength': '0',
      'msDS-PasswordComplexityEnabled': 'TRUE',
      'msDS-MinimumPasswordLength': '7',
      'msDS-MinimumPasswordAge': '0',
      'msDS-MaximumPasswordAge': String(-42n * 24n * 3600n * 10_000_000n),
      'msDS-LockoutThreshold': '2',
      'msDS-LockoutObservationWindow': HALF_HOUR,
      'msDS-LockoutDuration': HALF_HOUR,
      'msDS-PSOAppliesTo': [locked.dn, free.dn],
    }),
  );
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
