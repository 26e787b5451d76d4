// Step 8: password writeback on (`cloudsync agent writeback enable`), Bobby resets his password
// himself (code by e-mail, read from the local mail sink), AD accepts the new password (LDAP bind),
// and the cloud sign-in follows.
import { join } from 'node:path';
import { signInAsAdmin } from '@cloudsync/cli/login-client';
import { canBind } from '../ad.js';
import { type LabStep, LabStepError } from '../checklist.js';
import { runCloudsync, startCloudsync } from '../children.js';
import { type LabContext, labPassword } from '../lab-context.js';
import { registerEmailMethod, resetWithEmailCode } from '../reset-flow.js';
import { cloudServes, hasCommand } from './missing-pieces.js';

/** Bobby's (lab-only) e-mail address for reset codes; the lab's sink receives it. */
export const BOBBY_MAILBOX = 'bobby@mailbox.lab.test';

/** What step 8 needs that this checkout lacks, in words a person can act on. */
export async function missingForPasswordReset(ctx: LabContext): Promise<string[]> {
  const missing: string[] = [];
  if (!(await hasCommand(['agent', 'writeback'], 'enable'))) {
    missing.push(
      '`cloudsync agent writeback enable` (packages/agent: the command that turns password writeback on)',
    );
  }
  if (!ctx.mailbox) missing.push('the local mail sink (@cloudsync/cloud/mail-sink)');
  if (!(await cloudServes(ctx.cloudUrl, '/password-reset'))) {
    missing.push(
      'the self-service password reset pages at /password-reset (packages/cloud/src/password-reset)',
    );
  }
  return missing;
}

/**
 * `cloudsync agent writeback enable` with the flags its help lists; the passwords travel in its
 * environment, or on stdin for the `--…-password-stdin` flags it may offer.
 */
async function enableWriteback(ctx: LabContext): Promise<void> {
  const help = await runCloudsync(['agent', 'writeback', 'enable', '--help']);
  const dc = ctx.dc?.info;
  const args = ['agent', 'writeback', 'enable'];
  const stdin: { at: number; line: string }[] = [];
  const offer = (flag: string, value?: string) => {
    if (!help.includes(flag)) return;
    args.push(flag, ...(value === undefined ? [] : [value]));
  };
  const secret = (flag: string, line: string) => {
    const at = help.indexOf(flag);
    if (at < 0) return;
    args.push(flag);
    stdin.push({ at, line });
  };
  offer('--state-dir', ctx.paths.agent);
  if (ctx.adminUpn) offer('--admin-user', ctx.adminUpn);
  secret('--admin-password-stdin', ctx.secrets.cloudAdminPassword);
  if (dc) offer('--domain-admin', dc.adminUpn);
  secret('--domain-admin-password-stdin', ctx.secrets.adAdminPassword);
  offer('--yes');
  const input = stdin
    .sort((a, b) => a.at - b.at)
    .map((s) => `${s.line}\n`)
    .join('');
  // Today's command reads the passwords from the environment; the stdin flags are honoured if offered.
  await runCloudsync(args, {
    input,
    env: {
      CLOUDSYNC_ADMIN_PASSWORD: ctx.secrets.cloudAdminPassword,
      CLOUDSYNC_DOMAIN_ADMIN_PASSWORD: ctx.secrets.adAdminPassword,
    },
  });
}

async function restartAgent(ctx: LabContext): Promise<void> {
  await ctx.agent?.stop();
  const agent = await startCloudsync('agent', ['agent', 'run', '--state-dir', ctx.paths.agent], {
    logFile: join(ctx.paths.logs, 'agent.log'),
  });
  ctx.agent = agent;
  ctx.cleanups.push(() => agent.stop());
}

export const resetBobbysPassword: LabStep<LabContext> = {
  title: 'Self-service password reset written back to AD',
  async run(ctx, progress) {
    progress('looking for password writeback, the mail sink and the reset pages');
    const missing = await missingForPasswordReset(ctx);
    if (missing.length > 0) {
      throw new LabStepError(
        `this checkout lacks what the step needs:\n- ${missing.join('\n- ')}`,
        'these are being built now: update the checkout (git pull) and run `npm run lab` again',
      );
    }
    const { api, bobby, cloudUrl, mailbox, dc } = ctx;
    if (!api || !bobby?.cloudUpn || !cloudUrl || !mailbox || !dc)
      throw new Error('Bobby must be synced first');
    progress('cloudsync agent writeback enable');
    await enableWriteback(ctx).catch((err: unknown) => {
      throw new LabStepError(
        `cloudsync agent writeback enable failed: ${err instanceof Error ? err.message : String(err)}`,
        `read ${join(ctx.paths.logs, 'agent.log')}`,
      );
    });
    await restartAgent(ctx);
    progress('self-service reset policy: everyone, e-mail code');
    await api.patch('/v1.0/cloudsync/passwordResetPolicy', { enabledFor: 'all', methods: ['email'] });
    progress(`Bobby registers ${BOBBY_MAILBOX}`);
    await registerEmailMethod(cloudUrl, mailbox.sink, {
      username: bobby.cloudUpn,
      password: ctx.secrets.bobbyPassword,
      address: BOBBY_MAILBOX,
    });
    const next = labPassword();
    progress('Bobby resets his password (code from the local mailbox)');
    await resetWithEmailCode(cloudUrl, mailbox.sink, {
      username: bobby.cloudUpn,
      address: BOBBY_MAILBOX,
      newPassword: next,
    }).catch((err: unknown) => {
      throw new LabStepError(
        err instanceof Error ? err.message : String(err),
        `the agent writes the password to AD: check that \`cloudsync agent run\` runs the writeback worker and read ${ctx.agent?.logFile ?? 'the agent log'}`,
      );
    });
    ctx.secrets.bobbyResetPassword = next;
    if (!(await canBind(dc.info, bobby.adUpn, next))) {
      throw new LabStepError(
        `AD refuses an LDAP bind of ${bobby.adUpn} with the new password`,
        `read ${dc.info.dir}/log`,
      );
    }
    await signInAsAdmin({ cloudUrl, username: bobby.cloudUpn, password: next }).catch((err: unknown) => {
      throw new LabStepError(
        `the cloud refuses the new password: ${err instanceof Error ? err.message : String(err)}`,
        `read ${join(ctx.paths.logs, 'cloud.log')}`,
      );
    });
    return `reset with a code from ${BOBBY_MAILBOX}; AD (LDAP bind) and the cloud sign-in take the new password`;
  },
};
