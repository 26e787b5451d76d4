import { defaultStateDir } from '../state/state-dir.js';
import { enableWriteback } from './enable.js';

export interface EnableFlags {
  stateDir?: string;
  adminUser: string;
  domainAdmin: string;
}

/**
 * `cloudsync agent writeback enable`. Passwords come from the environment, never the command line:
 * CLOUDSYNC_ADMIN_PASSWORD (cloud Global Administrator) and CLOUDSYNC_DOMAIN_ADMIN_PASSWORD (AD).
 */
export async function runEnableWritebackCommand(flags: EnableFlags): Promise<number> {
  const adminPassword = process.env.CLOUDSYNC_ADMIN_PASSWORD;
  const domainAdminPassword = process.env.CLOUDSYNC_DOMAIN_ADMIN_PASSWORD;
  if (!adminPassword || !domainAdminPassword) {
    process.stderr.write(
      'set CLOUDSYNC_ADMIN_PASSWORD and CLOUDSYNC_DOMAIN_ADMIN_PASSWORD, then run again\n',
    );
    return 2;
  }
  try {
    await enableWriteback({
      stateDir: flags.stateDir ?? defaultStateDir(),
      adminUser: flags.adminUser,
      adminPassword,
      domainAdmin: flags.domainAdmin,
      domainAdminPassword,
      print: (line) => process.stdout.write(`${line}\n`),
    });
    return 0;
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
