// `npm run lab` end to end, headless: every step of the lab against its own DC (127.0.0.12, so it
// never meets a developer's lab on .11 or the test DC on .21) in a temp folder, then a second run
// that reuses what the first built. Fails when any step fails, naming the step and its reason.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { signInAsAdmin } from '@cloudsync/cli/login-client';
import { canBind, explainFailure, LabFailed, type RunningLab, runLab } from '@cloudsync/lab';

const LAB_IP = '127.0.0.12';

function recorder() {
  let text = '';
  const write = (t: string) => {
    text += t;
  };
  return { out: { write, interactive: false }, text: () => text };
}

async function runOrExplain(dir: string) {
  const log = recorder();
  try {
    const lab = await runLab(
      { dir, ip: LAB_IP, tenant: 'contoso', cloudPort: 0, installPackages: false },
      log.out,
    );
    return { lab, output: log.text() };
  } catch (err) {
    if (err instanceof LabFailed) {
      const { message, fix } = explainFailure(err.cause);
      assert.fail(`lab step "${err.step}" failed: ${message}\nfix: ${fix}\n\n${log.text()}`);
    }
    throw err;
  }
}

test('the lab runs every step, then a second run reuses what the first built', {
  timeout: 900_000,
}, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cloudsync-lab-e2e-'));
  let lab: RunningLab | undefined;
  after(async () => {
    await lab?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const first = await runOrExplain(dir);
  lab = first.lab;
  const ctx = first.lab.context;
  assert.match(first.output, /✓ 2\. .*\(new\)/);
  assert.equal(ctx.bobby?.cloudUpn, 'bobby@contoso.cloudsync.test');
  assert.equal(ctx.bobby?.adUpn, 'bobby@corp.contoso.test');
  const dc = ctx.dc?.info;
  assert.ok(dc && ctx.cloudUrl && ctx.api);
  const password = ctx.secrets.bobbyResetPassword ?? ctx.secrets.bobbyPassword;
  assert.equal(
    await canBind(dc, 'bobby@corp.contoso.test', password),
    true,
    'AD accepts his current password',
  );
  await signInAsAdmin({ cloudUrl: ctx.cloudUrl, username: 'bobby@contoso.cloudsync.test', password });
  const bobby = await ctx.api.get('/v1.0/users/bobby@contoso.cloudsync.test');
  assert.equal(bobby.onPremisesSyncEnabled, true);
  assert.equal(bobby.usageLocation, 'US');
  assert.equal((bobby.assignedLicenses as unknown[]).length, 1);
  await first.lab.stop();
  lab = undefined;

  const second = await runOrExplain(dir);
  lab = second.lab;
  assert.match(second.output, /✓ 2\. .*\(reused\)/);
  assert.match(second.output, /✓ 3\. .*\(reused\)/);
  assert.match(second.output, /agent reused/);
  assert.notEqual(
    second.lab.context.secrets.bobbyPassword,
    ctx.secrets.bobbyPassword,
    'passwords are new each run',
  );
  // Samba accepts a replaced password in simple binds for a while ("old password allowed period"),
  // so the cloud, which holds only the latest hash, is the one to refuse it.
  await assert.rejects(
    signInAsAdmin({
      cloudUrl: second.lab.context.cloudUrl ?? '',
      username: 'bobby@contoso.cloudsync.test',
      password,
    }),
    /sign-in refused/,
    "the first run's password no longer signs Bobby in",
  );
});
