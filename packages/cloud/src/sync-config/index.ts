export { assertConfigurationRuns } from './configuration-checks.js';
export { type ConfigurationRouteDeps, configurationRoutes } from './configuration-routes.js';
export {
  type ConfigurationPatch,
  type ConfigurationView,
  createSyncConfigurations,
  type NewConfiguration,
  type StatusUpdate,
  type SyncConfigurations,
  toProtocolConfiguration,
} from './configuration-store.js';
export {
  createProvisionOnDemand,
  type ProvisionOnDemand,
  type ProvisionOnDemandRun,
} from './provision-on-demand.js';
export type { ConfigurationStatus } from './schema.js';
