// `cloudsync agent install` answered at a terminal (interactive: true, injected streams that behave
// like a TTY: echo unless raw mode) against the test DC and a real cloud: typed answers install,
// no typed password reaches the screen, "n" at the summary changes nothing in AD, the cloud or the
// state directory, and a second interactive run repairs.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import { adFromEnv, withAdmin, withDomainRootAclLock } from '../../../../tests/support/ad.js';
import { uniqueName } from '../../../../tests/support/unique.js';
import { ADMIN_PASSWORD, type ApiFixture, startApiFixture } from '../../../cloud/src/api/api-fixture.js';
import { readIdentity } from '../state/identity.js';
import { type CommandIo, runInstallCommand } from './install-command.js';
import { createPrompter } from './prompts.js';
import { converse, type FakeTerminal, fakeTerminal, installAnswers } from './terminal-fixture.js';
import { uninstall } from './uninstall.js';

const ad = adFromEnv();
let fx: ApiFixture;
const runDir = mkdtempSync(join(tmpdir(), 'cloudsync-wizard-'));
const stateDir = join(runDir, 'installed');
const host = `${uniqueName('wiz', 40)}.corp.example.test`;
const accountName = uniqueName('cswiz');

before(async () => {
  fx = await startApiFixture();
});
after(async () => {
  if (await readIdentity(stateDir)) {
    await withDomainRootAclLock(() =>
      uninstall({
        stateDir,
        adminUser: `admin@${fx.domain}`,
        adminPassword: ADMIN_PASSWORD,
        domainAdmin: ad.adminUpn,
        domainAdminPassword: ad.adminPassword,
        prompter: createPrompter({ interactive: false, yes: true, input: Readable.from([]), output: sink() }),
      }),
    );
  }
  await fx?.close();
  rmSync(runDir, { recursive: true, force: true });
});

function sink(): Writable {
  return new Writable({ write: (_c, _e, done) => done() });
}

/** Every question of a first install, answered. */
function firstInstallAnswers(proceed: string, passwordHashSync = 'y'): [RegExp, string][] {
  const cloud = { cloudUrl: fx.url, cloudAdmin: `admin@${fx.domain}`, cloudAdminPassword: ADMIN_PASSWORD };
  return installAnswers({ ...cloud, ad, passwordHashSync, proceed });
}

async function runInteractive(
  dir: string,
  answers: [RegExp, string][],
  flags: { host?: string; serviceAccountName?: string } = {},
): Promise<{ code: number; screen: string; errors: string; terminal: FakeTerminal }> {
  const terminal = fakeTerminal({ tty: true });
  let errors = '';
  const io: CommandIo = {
    input: terminal.input,
    output: terminal.output,
    errors: new Writable({
      write(chunk: Buffer, _e, done) {
        errors += chunk.toString();
        done();
      },
    }),
    interactive: true,
  };
  const talk = converse(terminal, answers);
  try {
    const code = await withDomainRootAclLock(() =>
      runInstallCommand({ stateDir: dir, host, serviceAccountName: accountName, ...flags }, io),
    );
    assert.deepEqual(talk.unasked(), [], `questions not asked:\n${terminal.screen()}${errors}`);
    return { code, screen: terminal.screen(), errors, terminal };
  } finally {
    talk.stop();
  }
}

async function accountsNamed(sam: string): Promise<number> {
  return withAdmin(async (c) => {
    const { searchEntries } = await c.search(ad.baseDn, {
      scope: 'sub',
      filter: `(sAMAccountName=${sam})`,
      attributes: ['dn'],
    });
    return searchEntries.length;
  });
}

async function agentsOn(agentHost: string): Promise<number> {
  const res = await fx.call('GET', '/v1.0/cloudsync/agents');
  assert.equal(res.status, 200, res.text);
  const { value } = res.body as { value: { host: string }[] };
  return value.filter((a) => a.host === agentHost).length;
}

function assertNoSecretShown(screen: string) {
  for (const secret of [ADMIN_PASSWORD, ad.adminPassword]) {
    assert.ok(!screen.includes(secret), `a typed password is on the screen:\n${screen}`);
  }
}

test('"n" at the summary: the summary names what would be done, and nothing changes anywhere', async () => {
  const dir = join(runDir, 'declined');
  const otherHost = `${uniqueName('wizno', 40)}.corp.example.test`;
  const otherAccount = uniqueName('cswizno');
  const run = await runInteractive(dir, firstInstallAnswers('n'), {
    host: otherHost,
    serviceAccountName: otherAccount,
  });
  assert.equal(run.code, 1, run.screen + run.errors);
  assert.match(run.errors, /installation cancelled at the summary: nothing was changed/);
  assert.match(run.screen, new RegExp(`Cloud: +${fx.url.replace(/[.]/g, '\\.')}`));
  assert.match(run.screen, new RegExp(`Registered by: +admin@${fx.domain}: register a new agent`));
  assert.match(run.screen, new RegExp(`Agent host: +${otherHost}`));
  assert.match(run.screen, /Domain: +corp\.example\.test \(NetBIOS CORP/);
  assert.match(
    run.screen,
    new RegExp(
      `Service account: +create ${otherAccount}@corp\\.example\\.test in CN=Managed Service Accounts,${ad.baseDn}`,
    ),
  );
  assert.match(run.screen, new RegExp(`grant Replicating Directory Changes All on ${ad.baseDn}`));
  assert.match(run.screen, /Password hash sync: +on/);
  assert.match(run.screen, /Password writeback: +off/);
  assert.doesNotMatch(run.screen, /3\. Service account/);
  assertNoSecretShown(run.screen);
  assert.equal(await accountsNamed(otherAccount), 0, 'no account created');
  assert.equal(await agentsOn(otherHost), 0, 'no agent registered');
  assert.equal(existsSync(dir) ? readdirSync(dir).length : 0, 0, 'no state written');
});

test('answers typed at a terminal install the agent; the passwords are read in raw mode, never shown', async () => {
  const run = await runInteractive(stateDir, firstInstallAnswers('y'));
  assert.equal(run.code, 0, run.screen + run.errors);
  assertNoSecretShown(run.screen);
  // One raw-mode span per password: on while it was typed, off after.
  assert.deepEqual(run.terminal.rawModes, [true, false, true, false]);
  assert.match(run.screen, new RegExp(`right: Replicating Directory Changes All on ${ad.baseDn}`));
  const identity = await readIdentity(stateDir);
  assert.ok(identity, run.screen);
  assert.equal(identity.host, host);
  assert.equal(identity.passwordHashSync, true);
  assert.equal(identity.serviceAccount.sAMAccountName, accountName);
  assert.equal(await accountsNamed(accountName), 1);
  assert.equal(await agentsOn(host), 1);
});

test('run again interactively: the summary says repair and keep, and the same agent is repaired', async () => {
  const before = await readIdentity(stateDir);
  assert.ok(before, 'installed by the previous test');
  const run = await runInteractive(stateDir, firstInstallAnswers('y', '')); // hash sync: the default, off
  assert.equal(run.code, 0, run.screen + run.errors);
  assertNoSecretShown(run.screen);
  assert.match(run.screen, new RegExp(`repair agent ${before.agentId} \\(same host, new key\\)`));
  assert.match(run.screen, new RegExp(`Service account: +keep ${accountName}@corp\\.example\\.test`));
  assert.match(run.screen, /Password hash sync: +off/);
  assert.match(run.screen, new RegExp(`agent ${before.agentId} repaired`));
  const afterRepair = await readIdentity(stateDir);
  assert.equal(afterRepair?.agentId, before.agentId);
  assert.equal(afterRepair?.passwordHashSync, false);
  assert.equal(await agentsOn(host), 1, 'still one agent for the host');
});
