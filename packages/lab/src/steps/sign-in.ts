// Step 7: Bobby signs in to the Mail demo app with his AD password through the real OpenID Connect
// flow, and sees his inbox. Needs `cloudsync demo mail` (packages/demo-mail).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type LabStep, LabStepError } from '../checklist.js';
import { REPO_ROOT } from '../children.js';
import type { LabContext } from '../lab-context.js';

const DEMO_MAIL = join(REPO_ROOT, 'packages', 'demo-mail', 'package.json');

export const signInBobby: LabStep<LabContext> = {
  title: 'Bobby signs in to the Mail app with his AD password',
  async run() {
    if (!existsSync(DEMO_MAIL)) {
      throw new LabStepError(
        'the Mail demo app is missing: packages/demo-mail (`cloudsync demo mail`) is not in this checkout',
        'it is being built; update the checkout (git pull) and run the lab again',
      );
    }
    throw new LabStepError(
      'signing in to the Mail demo app is not wired into the lab yet',
      'run the lab again after updating the checkout',
    );
  },
};
