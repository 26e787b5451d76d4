// Step 8: password writeback on, Bobby resets his password himself (code by e-mail, read from the
// local mail sink), AD accepts the new password, and the cloud sign-in follows.
import { type LabStep, LabStepError } from '../checklist.js';
import type { LabContext } from '../lab-context.js';

export const resetBobbysPassword: LabStep<LabContext> = {
  title: 'Self-service password reset written back to AD',
  async run() {
    throw new LabStepError(
      'password writeback is not wired into the lab yet (`cloudsync agent writeback enable`, the mail sink)',
      'run the lab again after updating the checkout',
    );
  },
};
