import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Attribute, Change } from 'ldapts';
import {
  addMember,
  adFromEnv,
  bindAs,
  createGroup,
  createOu,
  createUser,
  readSid,
} from '../../../../tests/support/ad.js';
import { uniqueName } from '../../../../tests/support/unique.js';
import { type AdConnection, type AdConnectionOptions, connectAd } from '../ad/connection.js';
import { DIRSYNC_FLAG, DirSyncControl } from '../ad/controls.js';
import { AdError } from '../ad/errors.js';
import {
  createServiceAccount,
  defaultAccountName,
  removeServiceAccount,
  type ServiceAccount,
} from './account.js';
import { checkRights, useExistingAccount } from './check.js';
import { readDacl } from './dacl.js';
import { grantRights, revokeAll } from './grants.js';
import { generatePassword, readCredentials } from './password.js';
import { aceToSddl } from './security-descriptor.js';

const env = adFromEnv();
const conn = { url: env.ldapsUrl, tls: { caFile: env.caFile } };
const adminOptions: AdConnectionOptions = { ...conn, bindDn: env.adminUpn, password: env.adminPassword };
const ALL = { passwordHashSync: true, writeback: true };
const NONE = { passwordHashSync: false, writeback: false };

let admin: AdConnection;
let stateRoot: string;

async function createAccount(
  features: typeof ALL,
  parentDn?: string,
): Promise<{ account: ServiceAccount; stateDir: string }> {
  const stateDir = await mkdtemp(join(stateRoot, 'state-'));
  const account = await createServiceAccount(admin, {
    domainRoot: env.baseDn,
    dnsDomainName: env.realm,
    features,
    stateDir,
    name: uniqueName('cs'),
    parentDn,
  });
  return { account, stateDir };
}

async function connectAs(stateDir: string): Promise<AdConnection> {
  const creds = await readCredentials(stateDir);
  assert.ok(creds);
  return connectAd({ ...conn, bindDn: creds.upn, password: creds.password });
}

/** DirSync without the object-security flag: AD allows it only with "Replicating Directory Changes". */
async function privilegedDirSync(ad: AdConnection): Promise<void> {
  await ad.search(env.baseDn, { filter: '(objectClass=user)', attributes: ['objectGUID'], sizeLimit: 1 }, [
    new DirSyncControl(DIRSYNC_FLAG.ancestorsFirstOrder),
  ]);
}

function replace(type: string, value: string | Buffer): Change {
  return new Change({
    operation: 'replace',
    modification: new Attribute({ type, values: typeof value === 'string' ? [value] : [value] }),
  });
}

describe('service account', () => {
  before(async () => {
    admin = await connectAd(adminOptions);
    stateRoot = await mkdtemp(join(tmpdir(), 'cloudsync-sa-'));
  });
  after(async () => {
    await admin.close();
    await rm(stateRoot, { recursive: true, force: true });
  });

  test('passwords are 64 random characters of every class', () => {
    const a = generatePassword();
    assert.equal(a.length, 64);
    assert.match(a, /[a-z]/);
    assert.match(a, /[A-Z]/);
    assert.match(a, /[0-9]/);
    assert.match(a, /[^A-Za-z0-9]/);
    assert.doesNotMatch(a, /["\\]/);
    assert.notEqual(generatePassword(), a);
    assert.ok(defaultAccountName('a-very-long-host-name.corp.example').length <= 20);
    assert.equal(defaultAccountName('srv01.corp.example'), 'cloudsync-srv01');
  });

  test('with hash sync and writeback: created, can bind, holds exactly those rights', async () => {
    const { account, stateDir } = await createAccount(ALL);
    assert.match(account.dn, /^CN=cs-[^,]+,CN=Managed Service Accounts,/);
    assert.deepEqual(
      account.granted.map((g) => g.right),
      [
        'Replicating Directory Changes',
        'Replicating Directory Changes All',
        'Reset Password',
        'Write lockoutTime',
        'Write pwdLastSet',
      ],
    );
    assert.equal(account.granted[0]?.on, env.baseDn);
    assert.equal(account.granted[2]?.on, `descendant user objects of ${env.baseDn}`);

    // The password file: only the agent may read it, and it holds a working password.
    assert.equal((await stat(account.credentialsFile)).mode & 0o777, 0o600);
    const creds = await readCredentials(stateDir);
    assert.equal(creds?.password.length, 64);
    assert.equal(creds?.sid, account.sid);

    // Read the grants back from the domain root's DACL.
    const sddl = (await readDacl(admin, env.baseDn)).dacl?.aces
      .filter((a) => a.sid === account.sid)
      .map(aceToSddl);
    assert.deepEqual(sddl?.sort(), [
      `(OA;;CR;1131f6aa-9c07-11d1-f79f-00c04fc2dcd2;;${account.sid})`,
      `(OA;;CR;1131f6ad-9c07-11d1-f79f-00c04fc2dcd2;;${account.sid})`,
      `(OA;CIIO;CR;00299570-246d-11d0-a768-00aa006e0529;bf967aba-0de6-11d0-a285-00aa003049e2;${account.sid})`,
      `(OA;CIIO;WP;28630ebf-41d5-11d1-a9c1-0000f80367c1;bf967aba-0de6-11d0-a285-00aa003049e2;${account.sid})`,
      `(OA;CIIO;WP;bf967a0a-0de6-11d0-a285-00aa003049e2;bf967aba-0de6-11d0-a285-00aa003049e2;${account.sid})`,
    ]);

    const svc = await connectAs(stateDir);
    try {
      const report = await checkRights(svc, { domainRoot: env.baseDn, accountDn: account.dn, features: ALL });
      assert.deepEqual(report.missing, []);
      assert.ok(report.rights.every((r) => r.held));
      // The rights work: privileged DirSync, and a password reset + unlock + must-change on a user.
      await privilegedDirSync(svc);
      const ou = await createOu('wb');
      const user = await createUser({ ou, sam: 'wb', password: 'First-Pass-123!' });
      await svc.modify(user.dn, [replace('unicodePwd', Buffer.from('"Second-Pass-456!"', 'utf16le'))]);
      await bindAs(user.upn, 'Second-Pass-456!');
      await svc.modify(user.dn, [replace('lockoutTime', '0'), replace('pwdLastSet', '0')]);
    } finally {
      await svc.close();
    }
    await removeServiceAccount(admin, { domainRoot: env.baseDn, accountDn: account.dn, stateDir });
  });

  test('without hash sync or writeback: no rights granted, replication and resets refused', async () => {
    const { account, stateDir } = await createAccount(NONE);
    assert.deepEqual(account.granted, []);
    const svc = await connectAs(stateDir);
    try {
      const report = await checkRights(svc, { domainRoot: env.baseDn, accountDn: account.dn, features: ALL });
      assert.deepEqual(report.missing, [
        'Replicating Directory Changes',
        'Replicating Directory Changes All',
        'Reset Password',
        'Write lockoutTime',
        'Write pwdLastSet',
      ]);
      await assert.rejects(
        privilegedDirSync(svc),
        (e: unknown) => e instanceof AdError && e.code === 'ad.insufficient_rights',
      );
      // Reading with the object-security flag needs no special right.
      await svc.search(env.baseDn, { filter: '(objectClass=user)', attributes: ['objectGUID'] }, [
        new DirSyncControl(DIRSYNC_FLAG.objectSecurity),
      ]);
      const ou = await createOu('nowb');
      const user = await createUser({ ou, sam: 'nowb', password: 'First-Pass-123!' });
      await assert.rejects(
        svc.modify(user.dn, [replace('unicodePwd', Buffer.from('"Second-Pass-456!"', 'utf16le'))]),
        (e: unknown) => e instanceof AdError && e.code === 'ad.insufficient_rights',
      );
    } finally {
      await svc.close();
    }
    await removeServiceAccount(admin, { domainRoot: env.baseDn, accountDn: account.dn, stateDir });
  });

  test('uninstall removes the ACEs, the account and the password file (account in a chosen OU)', async () => {
    const ou = await createOu('svc');
    const { account, stateDir } = await createAccount({ passwordHashSync: true, writeback: false }, ou);
    assert.ok(account.dn.endsWith(`,${ou}`));
    const creds = await readCredentials(stateDir);
    assert.ok(creds);
    const { acesRemoved } = await removeServiceAccount(admin, {
      domainRoot: env.baseDn,
      accountDn: account.dn,
      stateDir,
    });
    assert.equal(acesRemoved, 2);
    const dacl = await readDacl(admin, env.baseDn);
    assert.equal(dacl.dacl?.aces.filter((a) => a.sid === account.sid).length, 0);
    await assert.rejects(
      admin.search(account.dn, { scope: 'base' }),
      (e: unknown) => e instanceof AdError && e.code === 'ad.no_such_object',
    );
    assert.equal(await readCredentials(stateDir), undefined);
    await assert.rejects(
      connectAd({ ...conn, bindDn: creds.upn, password: creds.password }),
      (e: unknown) => e instanceof AdError && e.code === 'ad.bind_refused',
    );
  });

  test('an existing account is adopted when it holds the rights, refused naming what it lacks', async () => {
    const { account, stateDir } = await createAccount({ passwordHashSync: true, writeback: false });
    const creds = await readCredentials(stateDir);
    assert.ok(creds);
    const adoptDir = await mkdtemp(join(stateRoot, 'adopt-'));
    const adopted = await useExistingAccount({
      connection: conn,
      bindDn: creds.upn,
      password: creds.password,
      domainRoot: env.baseDn,
      features: { passwordHashSync: true, writeback: false },
      stateDir: adoptDir,
    });
    assert.equal(adopted.dn, account.dn);
    assert.equal(adopted.sid, account.sid);
    assert.equal(JSON.parse(await readFile(adopted.credentialsFile, 'utf8')).password, creds.password);

    const ou = await createOu('adopt');
    const plain = await createUser({ ou, sam: 'plain', password: 'Plain-Pass-789!' });
    const err = await useExistingAccount({
      connection: conn,
      bindDn: plain.upn,
      password: 'Plain-Pass-789!',
      domainRoot: env.baseDn,
      features: { passwordHashSync: true, writeback: false },
      stateDir: adoptDir,
    }).catch((e: unknown) => e);
    assert.ok(err instanceof AdError);
    assert.equal(err.code, 'ad.missing_rights');
    assert.match(err.message, /Replicating Directory Changes, Replicating Directory Changes All/);
    await removeServiceAccount(admin, { domainRoot: env.baseDn, accountDn: account.dn, stateDir });
  });

  test('rights held through a group count (tokenGroups)', async () => {
    const ou = await createOu('viagroup');
    const group = await createGroup({ ou, name: 'csgrp' });
    const groupSid = await readSid(group.dn);
    const user = await createUser({ ou, sam: 'viagrp', password: 'Group-Pass-789!' });
    await addMember(group.dn, user.dn);
    await grantRights(admin, env.baseDn, groupSid, [
      'Replicating Directory Changes',
      'Replicating Directory Changes All',
    ]);
    try {
      const adoptDir = await mkdtemp(join(stateRoot, 'group-'));
      const adopted = await useExistingAccount({
        connection: conn,
        bindDn: user.upn,
        password: 'Group-Pass-789!',
        domainRoot: env.baseDn,
        features: { passwordHashSync: true, writeback: false },
        stateDir: adoptDir,
      });
      assert.equal(adopted.dn, user.dn);
      assert.ok(adopted.granted.every((g) => g.right.startsWith('Replicating')));
    } finally {
      assert.equal(await revokeAll(admin, env.baseDn, groupSid), 2);
    }
  });

  test('install run again repairs the account: new password, exactly the rights now needed', async () => {
    const { account, stateDir } = await createAccount(ALL);
    const old = await readCredentials(stateDir);
    assert.ok(old);
    const pwdLastSet = async () =>
      (await admin.search(account.dn, { scope: 'base', attributes: ['pwdLastSet'] }))[0]?.pwdLastSet;
    const setBefore = await pwdLastSet();
    const again = await createServiceAccount(admin, {
      domainRoot: env.baseDn,
      dnsDomainName: env.realm,
      features: { passwordHashSync: true, writeback: false },
      stateDir,
      name: account.sAMAccountName,
    });
    try {
      assert.equal(again.repaired, true);
      assert.equal(again.sid, account.sid);
      const fresh = await readCredentials(stateDir);
      assert.ok(fresh && fresh.password !== old.password);
      await bindAs(fresh.upn, fresh.password);
      // Samba still accepts the previous password for an hour (its "old password allowed period"),
      // so the proof that the password changed is pwdLastSet.
      assert.notEqual(await pwdLastSet(), setBefore);
      const aces = (await readDacl(admin, env.baseDn)).dacl?.aces.filter((a) => a.sid === account.sid) ?? [];
      assert.deepEqual(aces.map((a) => a.objectType).sort(), [
        '1131f6aa-9c07-11d1-f79f-00c04fc2dcd2',
        '1131f6ad-9c07-11d1-f79f-00c04fc2dcd2',
      ]);
      await assert.rejects(
        createServiceAccount(admin, {
          domainRoot: env.baseDn,
          dnsDomainName: env.realm,
          features: NONE,
          stateDir,
          name: account.sAMAccountName,
          repair: false,
        }),
        (e: unknown) => e instanceof AdError && e.code === 'ad.constraint',
        'repair: false refused',
      );
    } finally {
      await removeServiceAccount(admin, { domainRoot: env.baseDn, accountDn: account.dn, stateDir });
    }
  });
});
