// The cloud's public surface for other packages and capabilities.
export { buildCloudApp, type CloudApp, openDirectory } from './app.js';
export { type CloudConfig, type CloudFlags, ConfigError, loadConfig } from './config.js';
export * from './directory/index.js';
export { badRequest, CloudError, forbidden, notFound, toGraphError, unauthenticated } from './errors.js';
export { startCloudServer } from './server.js';
export { createAppRegistrations } from './sign-in/app-registrations.js';
export type { SignInTables } from './sign-in/schema.js';
export { isUniqueViolation, openStore, type Store, type StoreLocation } from './store/index.js';
export type { Database } from './store/schema.js';
export { type InitTenantInput, type InitTenantResult, initTenant } from './tenant/init-tenant.js';
