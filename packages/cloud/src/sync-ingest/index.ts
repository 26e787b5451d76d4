import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { CloudSync } from '../agents/index.js';
import { installAgentErrors } from '../agents/index.js';
import type { AccessControl } from '../api/route.js';
import { registerRoutes } from '../api/route.js';
import type { Clock } from '../directory/clock.js';
import type { Directory } from '../directory/index.js';
import { createPasswordHashSync } from '../password-hash-sync/store-envelopes.js';
import type { Database } from '../store/schema.js';
import { createSyncIngest, type SyncIngest, type SyncIngestDeps } from './cycles.js';
import { ingestAdminRoutes, registerIngestAgentRoutes } from './routes.js';

export { createSyncIngest, type SyncIngest } from './cycles.js';
export { decideUpn } from './upn-rule.js';

/**
 * Builds the sync ingest and mounts it: the agent's pages, cycle ends and password hashes, the
 * provisioning logs and the held deletions of the admin API.
 * @example
 *   const ingest = await mountSyncIngest(app, { db: store.db, directory, cloudSync, clock, access: auth, publicUrl });
 */
export async function mountSyncIngest(
  app: FastifyInstance,
  deps: {
    db: Kysely<Database>;
    directory: Directory;
    cloudSync: CloudSync;
    clock: Clock;
    access: AccessControl;
    publicUrl: string;
    notifications?: SyncIngestDeps['notifications'];
  },
): Promise<SyncIngest> {
  const ingest = createSyncIngest(deps);
  const passwordHashSync = createPasswordHashSync(deps);
  registerRoutes(app, deps.access, ingestAdminRoutes({ ingest, publicUrl: deps.publicUrl }));
  await app.register(async (scope) => {
    installAgentErrors(scope);
    registerIngestAgentRoutes(scope, { ingest, passwordHashSync, cloudSync: deps.cloudSync });
  });
  return ingest;
}
