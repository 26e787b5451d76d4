import { openDirectory } from '../app.js';
import { loadConfig } from '../config.js';
import { systemClock } from '../directory/clock.js';
import { CloudError } from '../errors.js';
import { initTenant } from './init-tenant.js';

export interface InitFlags {
  tenant: string;
  domainSuffix?: string;
  adminPassword?: string;
  data?: string;
}

/**
 * `cloudsync cloud init`: creates the tenant in the configured store and prints what an admin needs.
 * Returns the process exit code. The password comes from the flag, else CLOUDSYNC_ADMIN_PASSWORD,
 * else it is generated and printed once.
 */
export async function runInit(
  flags: InitFlags,
  io: { env?: NodeJS.ProcessEnv; out?: (line: string) => void; err?: (line: string) => void } = {},
): Promise<number> {
  const env = io.env ?? process.env;
  const out = io.out ?? ((line) => process.stdout.write(`${line}\n`));
  const err = io.err ?? ((line) => process.stderr.write(`${line}\n`));
  const config = loadConfig({
    env,
    flags: {
      ...(flags.data ? { data: flags.data } : {}),
      ...(flags.domainSuffix ? { domainSuffix: flags.domainSuffix } : {}),
    },
  });
  const { store, directory } = await openDirectory(config);
  try {
    const adminPassword = flags.adminPassword ?? env.CLOUDSYNC_ADMIN_PASSWORD;
    const result = await initTenant(
      { directory, clock: systemClock },
      { name: flags.tenant, domainSuffix: config.domainSuffix, ...(adminPassword ? { adminPassword } : {}) },
    );
    out(`Tenant ${flags.tenant} created (id ${result.tenantId}).`);
    out(`Initial domain: ${result.initialDomain} (verified)`);
    out(`Global Administrator: ${result.adminUserPrincipalName}`);
    if (result.generatedPassword) {
      out(`Password (shown once, stored only as a hash): ${result.generatedPassword}`);
    }
    out(`Store: ${config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : config.sqliteFile}`);
    return 0;
  } catch (e) {
    if (e instanceof CloudError && e.expose) {
      err(`cloudsync cloud init: ${e.message}`);
      return 1;
    }
    throw e;
  } finally {
    await store.close();
  }
}
