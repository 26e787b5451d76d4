// The service account session against the test DC: AD's refusals explained, a password change
// interrupted on either side of AD settled by the next bind, the change itself when a fine-grained
// policy makes the expiry near (and AD's refusal by policy), and the install's password repair.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import pino from 'pino';
import {
  adFromEnv,
  bindAs,
  createOu,
  createUser,
  deleteEntry,
  readSid,
  setPassword,
  type TestUser,
} from '../../../../tests/support/ad.js';
import { createPso, readPwdLastSet, replaceAttribute } from '../../../../tests/support/password-policy.js';
import { type AdConnection, connectAd } from '../ad/connection.js';
import { ServiceAccountBindError } from './bind-refusal.js';
import { generatePassword, readCredentials, storeCredentials } from './password.js';
import { repairPassword } from './repair.js';
import { openServiceAccountSession, type PasswordCheck, type ServiceAccountSession } from './session.js';

const env = adFromEnv();
const connection = { url: env.ldapsUrl, tls: { caFile: env.caFile } };
const log = pino({ level: 'silent' });
const DAY_MS = 24 * 60 * 60 * 1000;
let ou: string;
let stateRoot: string;

before(async () => {
  ou = await createOu('session');
  stateRoot = await mkdtemp(join(tmpdir(), 'cloudsync-session-'));
});
after(async () => {
  await deleteEntry(ou).catch(() => undefined);
  await rm(stateRoot, { recursive: true, force: true });
});

/** A user standing in for the service account, its password stored in a fresh state directory. */
async function account(): Promise<{ user: TestUser; stateDir: string; password: string }> {
  const password = generatePassword(32);
  const user = await createUser({ ou, sam: 'svc', password });
  const stateDir = await mkdtemp(join(stateRoot, 'state-'));
  await storeCredentials(stateDir, { upn: user.upn, dn: user.dn, sid: await readSid(user.dn), password });
  return { user, stateDir, password };
}

async function open(stateDir: string, now?: () => Date): Promise<ServiceAccountSession> {
  const session = await openServiceAccountSession({
    stateDir,
    connection,
    log,
    checkEveryMs: 0,
    ...(now ? { now } : {}),
  });
  assert.ok(session);
  return session;
}

async function closes(ad: Promise<AdConnection>): Promise<void> {
  await (await ad).close();
}

async function refused(password: string, upn: string): Promise<boolean> {
  return bindAs(upn, password).then(
    () => false,
    () => true,
  );
}

test('no credentials file: no session', async () => {
  const empty = await mkdtemp(join(stateRoot, 'empty-'));
  assert.equal(await openServiceAccountSession({ stateDir: empty, connection, log }), undefined);
});

test('AD refusals say what happened and what to do', async () => {
  const { user, stateDir } = await account();
  const session = await open(stateDir);
  await closes(session.connect());

  await replaceAttribute(user.dn, 'pwdLastSet', ['0']);
  await assert.rejects(session.connect(), (err) => {
    assert.ok(err instanceof ServiceAccountBindError, String(err));
    assert.equal(err.reason, 'must_change_password');
    assert.equal(err.data, '773');
    assert.equal(err.code, 'ad.bind_refused');
    assert.match(err.message, /must change password/i);
    assert.match(err.message, /cloudsync agent install/);
    return true;
  });

  // A stored password that is not the account's (reset in AD and the old one out of its grace
  // period, or the file replaced): 52e.
  const stored = await readCredentials(stateDir);
  assert.ok(stored);
  await storeCredentials(stateDir, { ...stored, password: generatePassword(32) });
  await assert.rejects(
    session.connect(),
    (err) => err instanceof ServiceAccountBindError && err.reason === 'wrong_password' && err.data === '52e',
  );
});

test('a change interrupted after AD took it: the next bind keeps the new password', async () => {
  const { user, stateDir } = await account();
  const next = generatePassword(64);
  const stored = await readCredentials(stateDir);
  assert.ok(stored);
  await storeCredentials(stateDir, {
    ...stored,
    pendingPassword: next,
    pendingSince: new Date().toISOString(),
  });
  await setPassword(user.dn, next); // AD took it; the agent died before its last write
  const session = await open(stateDir);
  await closes(session.connect());
  const after = await readCredentials(stateDir);
  assert.equal(after?.password, next);
  assert.equal(after?.pendingPassword, undefined);
  assert.equal(session.password, next);
  await bindAs(user.upn, next);
});

test('a change interrupted before AD took it: the next bind keeps the current password', async () => {
  const { stateDir, password } = await account();
  const stored = await readCredentials(stateDir);
  assert.ok(stored);
  await storeCredentials(stateDir, {
    ...stored,
    pendingPassword: generatePassword(64),
    pendingSince: new Date().toISOString(),
  });
  const session = await open(stateDir);
  await closes(session.connect());
  const after = await readCredentials(stateDir);
  assert.equal(after?.password, password);
  assert.equal(after?.pendingPassword, undefined);
});

test('near its expiry (a 2-day policy), the password is changed; otherwise left alone', async () => {
  const { user, stateDir, password } = await account();
  const pso = await createPso({ appliesTo: [user.dn], maxPwdAgeDays: 2, minPwdAgeDays: 0 });
  try {
    let offsetMs = 0;
    const session = await open(stateDir, () => new Date(Date.now() + offsetMs));
    const fresh = await session.keepFresh();
    assert.equal(fresh.state, 'fresh', JSON.stringify(fresh));
    assert.ok(fresh.state === 'fresh' && fresh.rotateAt, 'a rotation time under the policy');

    const setBefore = await readPwdLastSet(user.dn);
    offsetMs = 1.5 * DAY_MS; // half a day before expiry: inside the window (half the lifetime)
    const rotated = await session.keepFresh();
    assert.equal(rotated.state, 'rotated', JSON.stringify(rotated));
    const stored = await readCredentials(stateDir);
    assert.ok(stored && stored.password !== password, 'a new password in the file');
    assert.equal(stored.pendingPassword, undefined);
    assert.ok((await readPwdLastSet(user.dn)) > setBefore, 'pwdLastSet advanced');
    await bindAs(user.upn, stored.password);
    // (The PSO keeps no history, so AD allows no grace period for the previous password.)
    assert.ok(await refused(password, user.upn), 'the old password no longer binds');
    await closes(session.connect());
  } finally {
    await pso.remove();
  }
});

test('an adopted account (rotate: false) is not changed, only warned about', async () => {
  const { user, stateDir, password } = await account();
  const pso = await createPso({ appliesTo: [user.dn], maxPwdAgeDays: 2, minPwdAgeDays: 0 });
  try {
    const checks: PasswordCheck[] = [];
    const session = await openServiceAccountSession({
      stateDir,
      connection,
      log,
      rotate: false,
      now: () => new Date(Date.now() + 1.5 * DAY_MS),
      onCheck: (c) => checks.push(c),
    });
    const outcome = await session?.keepFresh();
    assert.equal(outcome?.state, 'due');
    assert.equal((await readCredentials(stateDir))?.password, password);
    assert.match(checks[0]?.warning ?? '', /adopted account.*cloudsync agent install --service-account/);
    assert.ok(checks[0]?.expiresAt);
  } finally {
    await pso.remove();
  }
});

test("AD's policy refuses the change (minimum age): the current password is kept", async () => {
  const { user, stateDir, password } = await account();
  const pso = await createPso({ appliesTo: [user.dn], maxPwdAgeDays: 2, minPwdAgeDays: 1 });
  try {
    const session = await open(stateDir, () => new Date(Date.now() + 1.5 * DAY_MS));
    const outcome = await session.keepFresh();
    assert.equal(outcome.state, 'failed');
    const stored = await readCredentials(stateDir);
    assert.equal(stored?.password, password);
    assert.equal(stored?.pendingPassword, undefined, 'AD answered: nothing pending');
    await bindAs(user.upn, password);
  } finally {
    await pso.remove();
  }
});

test('repair: a password AD refuses is replaced through the administrator; a good one is kept', async () => {
  const { user, stateDir, password } = await account();
  const admin = await connectAd({ ...connection, bindDn: env.adminUpn, password: env.adminPassword });
  try {
    assert.equal(await repairPassword(admin, { stateDir, connection }), undefined);
    assert.equal((await readCredentials(stateDir))?.password, password);

    await replaceAttribute(user.dn, 'pwdLastSet', ['0']);
    assert.equal(await repairPassword(admin, { stateDir, connection }), 'must_change_password');
    const stored = await readCredentials(stateDir);
    assert.ok(stored && stored.password !== password);
    await bindAs(user.upn, stored.password);
  } finally {
    await admin.close();
  }
});
