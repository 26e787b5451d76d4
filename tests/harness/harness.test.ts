// Proves the real parts that `npm test` starts: Samba AD over LDAPS, PostgreSQL, Chromium.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { InvalidCredentialsError } from 'ldapts';
import pg from 'pg';
import {
  addMember,
  adFromEnv,
  bindAs,
  createGroup,
  createOu,
  createUser,
  deleteEntry,
  grantReplicationRights,
  REPLICATION_RIGHTS,
  readSid,
  withAdmin,
} from '../support/ad.js';
import { createTestDatabase } from '../support/postgres.js';
import { uniqueName } from '../support/unique.js';
import { launchBrowser } from './browser.js';
import { runCommand } from './process.js';
import { smbConfPath } from './samba.js';

describe('Samba AD DC', () => {
  const ad = adFromEnv();
  const ous: string[] = [];
  after(async () => {
    for (const ou of ous) await deleteEntry(ou);
  });

  test('Administrator binds over LDAPS (CA verified) and reads the domain root', async () => {
    const entry = await withAdmin(async (c) => {
      const { searchEntries } = await c.search(ad.baseDn, {
        scope: 'base',
        attributes: ['objectClass', 'name'],
      });
      return searchEntries[0];
    });
    assert.ok(entry);
    assert.equal(entry.dn.toLowerCase(), ad.baseDn.toLowerCase());
    assert.ok(([] as unknown[]).concat(entry.objectClass).includes('domainDNS'));
  });

  test('a user created with a password binds with it, and not with another', async () => {
    const ou = await createOu('harness');
    ous.push(ou);
    const password = `Pw-${uniqueName('x')}!`;
    const user = await createUser({
      ou,
      sam: 'alice',
      givenName: 'Alice',
      sn: 'Smith',
      displayName: 'Alice Smith',
      password,
    });
    await bindAs(user.upn, password);
    await bindAs(user.dn, password);
    await assert.rejects(bindAs(user.upn, `${password}-wrong`), InvalidCredentialsError);
    const group = await createGroup({ ou, name: 'staff' });
    await addMember(group.dn, user.dn);
    const members = await withAdmin(async (c) => {
      const { searchEntries } = await c.search(group.dn, { scope: 'base', attributes: ['member'] });
      return searchEntries[0]?.member;
    });
    assert.deepEqual(([] as unknown[]).concat(members), [user.dn]);
    assert.match(await readSid(user.dn), /^S-1-5-21-\d+-\d+-\d+-\d+$/);
  });

  test('the KDC issues a ticket to Administrator (kinit with the krb5.conf of the DC)', async () => {
    const cache = join(await mkdtemp(join(tmpdir(), 'cloudsync-krb5-')), 'ccache');
    const env = { ...process.env, KRB5_CONFIG: ad.krb5Conf, KRB5CCNAME: `FILE:${cache}` };
    await new Promise<void>((resolve, reject) => {
      const kinit = spawn('kinit', [ad.adminUpn.replace(/@.*/, `@${ad.realm}`)], {
        env,
        stdio: ['pipe', 'ignore', 'pipe'],
      });
      let err = '';
      kinit.stderr.on('data', (d: Buffer) => {
        err += d.toString();
      });
      kinit.on('exit', (code) =>
        code === 0 ? resolve() : reject(new Error(`kinit exited ${code}: ${err}`)),
      );
      kinit.stdin.end(`${ad.adminPassword}\n`);
    });
    const { stdout } = await runCommand('klist', [], { env });
    assert.ok(stdout.includes(`krbtgt/${ad.realm}@${ad.realm}`), stdout);
    await rm(dirname(cache), { recursive: true, force: true });
  });

  test('AD refuses a too-short password (default policy kept)', async () => {
    const ou = await createOu('harness');
    ous.push(ou);
    await assert.rejects(
      createUser({ ou, sam: 'short', sn: 'Short', password: 'Ab1!' }),
      /constraint|0000052D/i,
    );
  });

  test('grantReplicationRights adds both DS-Replication-Get-Changes ACEs on the domain root', async () => {
    const ou = await createOu('harness');
    ous.push(ou);
    const svc = await createUser({ ou, sam: 'svc', sn: 'Service', password: `Pw-${uniqueName('z')}!` });
    const sid = await readSid(svc.dn);
    await grantReplicationRights(sid);
    const { stdout } = await runCommand('samba-tool', [
      'dsacl',
      'get',
      `--configfile=${smbConfPath(ad.dir)}`,
      '-H',
      `tdb://${ad.dir}/private/sam.ldb`,
      `--objectdn=${ad.baseDn}`,
    ]);
    for (const right of Object.values(REPLICATION_RIGHTS)) {
      assert.ok(stdout.includes(`(OA;;CR;${right};;${sid})`), `ACE for ${right} missing`);
    }
  });

  test('a disabled user cannot bind', async () => {
    const ou = await createOu('harness');
    ous.push(ou);
    const password = `Pw-${uniqueName('y')}!`;
    const user = await createUser({ ou, sam: 'bob', sn: 'Bob', password, enabled: false });
    await assert.rejects(bindAs(user.upn, password), InvalidCredentialsError);
  });
});

describe('PostgreSQL', () => {
  test('a fresh test database answers select 1', async () => {
    const url = await createTestDatabase();
    const other = await createTestDatabase();
    assert.notEqual(url, other);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ one: number; db: string }>(
        'select 1 as one, current_database() as db',
      );
      assert.equal(rows[0]?.one, 1);
      assert.equal(`/${rows[0]?.db}`, new URL(url).pathname);
    } finally {
      await client.end();
    }
  });
});

describe('Chromium', () => {
  test('renders a page served on 127.0.0.1 and reads its title', async () => {
    const title = `harness ${uniqueName('page')}`;
    const server = createServer((_req, res) => {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(`<!doctype html><title>${title}</title><h1 id="h">hello</h1>`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const browser = await launchBrowser();
    try {
      const page = await browser.context.newPage();
      await page.goto(`http://127.0.0.1:${port}/`);
      assert.equal(await page.title(), title);
      assert.equal(await page.textContent('#h'), 'hello');
    } finally {
      await browser.close();
      server.close();
    }
  });
});
