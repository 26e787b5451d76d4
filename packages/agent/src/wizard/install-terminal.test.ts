// `cloudsync agent install` in a real pseudo-terminal (util-linux `script`), as an administrator runs
// it: the kernel echoes typed answers, but not the passwords (read in raw mode); "n" at the summary
// exits 1 with nothing changed in AD, the cloud or the state directory.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { adFromEnv, withAdmin } from '../../../../tests/support/ad.js';
import { uniqueName } from '../../../../tests/support/unique.js';
import { ADMIN_PASSWORD, type ApiFixture, startApiFixture } from '../../../cloud/src/api/api-fixture.js';
import { converse, installAnswers } from './terminal-fixture.js';

const BIN = fileURLToPath(new URL('../../../../bin/cloudsync.mjs', import.meta.url));
const ad = adFromEnv();
let fx: ApiFixture;
const runDir = mkdtempSync(join(tmpdir(), 'cloudsync-wizard-pty-'));

before(async () => {
  fx = await startApiFixture();
});
after(async () => {
  await fx?.close();
  rmSync(runDir, { recursive: true, force: true });
});

const quote = (arg: string) => `'${arg.replace(/'/g, `'\\''`)}'`;

test('in a terminal: answers echoed, passwords not; "n" at the summary changes nothing', async () => {
  const stateDir = join(runDir, 'state');
  const host = `${uniqueName('wizpty', 40)}.corp.example.test`;
  const account = uniqueName('cswizpty');
  const command = [process.execPath, BIN, 'agent', 'install', '--state-dir', stateDir, '--host', host]
    .concat(['--service-account-name', account])
    .map(quote)
    .join(' ');
  const child = spawn('script', ['--quiet', '--return', '--command', command, '/dev/null'], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let screen = '';
  child.stdout.on('data', (c: Buffer) => {
    screen += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    screen += c.toString();
  });
  const talk = converse(
    {
      screen: () => screen,
      type: (text) => child.stdin.write(text),
      end: () => child.stdin.end(),
    },
    installAnswers({
      cloudUrl: fx.url,
      cloudAdmin: `admin@${fx.domain}`,
      cloudAdminPassword: ADMIN_PASSWORD,
      ad,
      passwordHashSync: 'n',
      proceed: 'n',
    }),
  );
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', resolve);
  }).finally(() => talk.stop());
  assert.deepEqual(talk.unasked(), [], screen);
  assert.equal(code, 1, screen);
  // The terminal echoes what is typed (here the "n" to the hash sync question)...
  assert.match(screen, /Password hash sync.*\[y\/N\]: n\r?\n/);
  // ...but not the passwords.
  for (const secret of [ADMIN_PASSWORD, ad.adminPassword]) assert.ok(!screen.includes(secret), screen);
  assert.match(screen, /Service account: +create /);
  assert.match(screen, /installation cancelled at the summary: nothing was changed/);
  assert.equal(existsSync(stateDir), false, 'no state directory');
  const found = await withAdmin(async (c) => {
    const { searchEntries } = await c.search(ad.baseDn, {
      scope: 'sub',
      filter: `(sAMAccountName=${account})`,
    });
    return searchEntries.length;
  });
  assert.equal(found, 0, 'no account created');
  const agents = await fx.call('GET', '/v1.0/cloudsync/agents');
  const { value } = agents.body as { value: { host: string }[] };
  assert.equal(value.filter((a) => a.host === host).length, 0, 'no agent registered');
});
