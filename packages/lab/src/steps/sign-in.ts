// Step 7: Bobby signs in to the Mail demo app with his AD password through the real OpenID Connect
// flow, and sees his inbox. Needs `cloudsync demo mail` (packages/demo-mail).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type LabStep, LabStepError } from '../checklist.js';
import { REPO_ROOT } from '../children.js';
import type { LabContext } from '../lab-context.js';
import { hasCommand } from './missing-pieces.js';

const DEMO_MAIL = join(REPO_ROOT, 'packages', 'demo-mail', 'package.json');

export const signInBobby: LabStep<LabContext> = {
  title: 'Bobby signs in to the Mail app with his AD password',
  laterStepsRunWithoutIt: true,
  async run() {
    const missing: string[] = [];
    if (!existsSync(DEMO_MAIL)) missing.push('the Mail demo app, packages/demo-mail');
    if (!(await hasCommand(['demo'], 'mail'))) missing.push('the command `cloudsync demo mail`');
    if (missing.length > 0) {
      throw new LabStepError(
        `this checkout lacks what the step needs:\n- ${missing.join('\n- ')}`,
        'they are being built now: update the checkout (git pull) and run `npm run lab` again',
      );
    }
    throw new LabStepError(
      'the Mail demo app is present, but the lab does not drive its sign-in yet',
      'update the checkout (git pull) and run `npm run lab` again',
    );
  },
};
