// Step 8: password writeback on (`cloudsync agent writeback enable`), Bobby resets his password
// himself (code by e-mail, read from the local mail sink), AD accepts the new password (LDAP bind),
// and the cloud sign-in follows.
import { type LabStep, LabStepError } from '../checklist.js';
import type { LabContext } from '../lab-context.js';
import { cloudServes, hasCommand, packageExports } from './missing-pieces.js';

/** What step 8 needs that this checkout lacks, in words a person can act on. */
export async function missingForPasswordReset(ctx: LabContext): Promise<string[]> {
  const missing: string[] = [];
  if (!(await hasCommand(['agent'], 'writeback'))) {
    missing.push('`cloudsync agent writeback enable` (packages/agent: password writeback)');
  }
  if (!packageExports('cloud', './mail-sink')) {
    missing.push('the local mail sink as `@cloudsync/cloud/mail-sink` (packages/cloud/src/mail-sink)');
  }
  if (!(await cloudServes(ctx.cloudUrl, '/password-reset'))) {
    missing.push(
      'the self-service password reset pages at /password-reset (packages/cloud/src/password-reset)',
    );
  }
  return missing;
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
    throw new LabStepError(
      'password writeback, the mail sink and the reset pages are present, but the lab does not drive the reset yet',
      'update the checkout (git pull) and run `npm run lab` again',
    );
  },
};
