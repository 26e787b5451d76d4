import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from './api-context.js';
import { contactRoutes } from './contacts-routes.js';
import { domainRoutes } from './domains-routes.js';
import { installGraphErrors } from './error-handler.js';
import { groupRoutes } from './groups-routes.js';
import { roleRoutes } from './roles-routes.js';
import { registerRoutes } from './route.js';
import { tenantRoutes } from './tenant-routes.js';
import { userRoutes } from './users-routes.js';

export type { ApiDeps } from './api-context.js';
export type { AccessControl, Guard } from './route.js';

/**
 * Mounts the Graph-shaped admin API (`/v1.0/...`) with Graph errors on `app`.
 * @example
 *   registerAdminApi(app, { directory, odata, access: auth, publicUrl: config.publicUrl });
 */
export function registerAdminApi(app: FastifyInstance, deps: ApiDeps): void {
  installGraphErrors(app);
  registerRoutes(app, deps.access, [
    ...userRoutes(deps),
    ...groupRoutes(deps),
    ...contactRoutes(deps),
    ...domainRoutes(deps),
    ...tenantRoutes(deps),
    ...roleRoutes(deps),
  ]);
}
