// The agent's own AD account: created with only the rights the chosen features need.
export {
  checkRights,
  createServiceAccount,
  defaultAccountName,
  grantRights,
  type RightsReport,
  removeServiceAccount,
  revokeAll,
  type ServiceAccount,
  useExistingAccount,
} from './account.js';
export { generatePassword, readCredentials, type StoredCredentials, storeCredentials } from './password.js';
export { type AgentFeatures, type AgentRight, type GrantedRight, rightsFor } from './rights.js';
