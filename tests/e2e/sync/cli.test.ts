// `cloudsync agent install | status | uninstall` as an operator runs them unattended: flags, the
// passwords piped on stdin, --yes. No password reaches the output.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  ADMIN_PASSWORD,
  type ApiFixture,
  startApiFixture,
} from '../../../packages/cloud/src/api/api-fixture.js';
import { adFromEnv, withDomainRootAclLock } from '../../support/ad.js';
import { uniqueName } from '../../support/unique.js';

const BIN = fileURLToPath(new URL('../../../bin/cloudsync.mjs', import.meta.url));
let fx: ApiFixture;
const stateDir = mkdtempSync(join(tmpdir(), 'cloudsync-agent-cli-'));

before(async () => {
  fx = await startApiFixture();
});
after(async () => {
  await fx.close();
  rmSync(stateDir, { recursive: true, force: true });
});

function cloudsync(args: string[], stdin = ''): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, out }));
    child.stdin.end(stdin);
  });
}

test('install unattended, status, uninstall', async () => {
  const ad = adFromEnv();
  const secrets = `${ADMIN_PASSWORD}\n${ad.adminPassword}\n`;
  const installed = await withDomainRootAclLock(() =>
    cloudsync(
      [
        'agent',
        'install',
        '--cloud',
        fx.url,
        '--admin-user',
        `admin@${fx.domain}`,
        '--admin-password-stdin',
        '--dc',
        ad.ldapsUrl,
        '--ca-file',
        ad.caFile,
        '--domain-admin',
        ad.adminUpn,
        '--domain-admin-password-stdin',
        '--service-account-name',
        uniqueName('csacli'),
        '--host',
        `${uniqueName('cli', 40)}.corp.example.test`,
        '--password-hash-sync',
        '--state-dir',
        stateDir,
        '--yes',
      ],
      secrets,
    ),
  );
  assert.equal(installed.code, 0, installed.out);
  assert.match(installed.out, /right: Replicating Directory Changes All on DC=/);
  assert.ok(!installed.out.includes(ADMIN_PASSWORD) && !installed.out.includes(ad.adminPassword));
  assert.equal(statSync(join(stateDir, 'agent-key.pem')).mode & 0o777, 0o600);
  assert.equal(statSync(join(stateDir, 'ad-service-account.json')).mode & 0o777, 0o600);
  const servicePassword = (
    JSON.parse(readFileSync(join(stateDir, 'ad-service-account.json'), 'utf8')) as { password: string }
  ).password;
  const identity = readFileSync(join(stateDir, 'agent.json'), 'utf8');
  for (const secret of [servicePassword, ADMIN_PASSWORD, ad.adminPassword]) {
    assert.ok(!identity.includes(secret), 'agent.json holds no secret');
    assert.ok(!installed.out.includes(secret), 'the output shows no secret');
  }

  const status = await cloudsync(['agent', 'status', '--state-dir', stateDir, '--json']);
  assert.equal(status.code, 0, status.out);
  const parsed = JSON.parse(status.out) as { agentId?: string; passwordHashSync?: boolean };
  assert.equal(typeof parsed.agentId, 'string');
  assert.equal(parsed.passwordHashSync, true);

  const removed = await withDomainRootAclLock(() =>
    cloudsync(
      [
        'agent',
        'uninstall',
        '--admin-user',
        `admin@${fx.domain}`,
        '--admin-password-stdin',
        '--domain-admin',
        ad.adminUpn,
        '--domain-admin-password-stdin',
        '--state-dir',
        stateDir,
        '--yes',
      ],
      secrets,
    ),
  );
  assert.equal(removed.code, 0, removed.out);
  const after = await cloudsync(['agent', 'status', '--state-dir', stateDir]);
  assert.equal(after.code, 2);
  assert.match(after.out, /No agent is installed/);
});

test('install without --yes and without a terminal refuses to go on', async () => {
  const ad = adFromEnv();
  const res = await cloudsync(
    [
      'agent',
      'install',
      '--cloud',
      fx.url,
      '--admin-user',
      `admin@${fx.domain}`,
      '--admin-password-stdin',
      '--dc',
      ad.ldapsUrl,
      '--ca-file',
      ad.caFile,
      '--domain-admin',
      ad.adminUpn,
      '--domain-admin-password-stdin',
      '--state-dir',
      join(stateDir, 'refused'),
    ],
    `${ADMIN_PASSWORD}\n${ad.adminPassword}\n`,
  );
  assert.equal(res.code, 1, res.out);
  assert.match(res.out, /not confirmed/);
});
