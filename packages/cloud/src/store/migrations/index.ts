import type { Migration } from 'kysely';
import { directory } from './0001-directory.js';
import { signIn } from './0002-sign-in.js';
import { agents } from './0003-agents.js';
import { syncIngest } from './0004-sync-ingest.js';
import { passwordReset } from './0005-password-reset.js';
import { syncNotifications } from './0006-sync-notifications.js';
import { passwordResetLimits } from './0007-password-reset-limits.js';

/**
 * Every migration of the cloud, in the order they run. Kysely orders them by name, so each new
 * capability adds one file `NNNN-<capability>.ts` and one line here with the next number.
 */
export const migrations: Readonly<Record<string, Migration>> = {
  '0001-directory': directory,
  '0002-sign-in': signIn,
  '0003-agents': agents,
  '0004-sync-ingest': syncIngest,
  '0005-password-reset': passwordReset,
  '0006-sync-notifications': syncNotifications,
  '0007-password-reset-limits': passwordResetLimits,
};
