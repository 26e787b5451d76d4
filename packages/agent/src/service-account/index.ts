// The agent's own AD account: created with only the rights the chosen features need.
export {
  type CreateServiceAccountOptions,
  createServiceAccount,
  defaultAccountName,
  readSid,
  removeServiceAccount,
  type ServiceAccount,
} from './account.js';
export { type BindRefusal, explainBindRefusal, ServiceAccountBindError } from './bind-refusal.js';
export { checkRights, type RightCheck, type RightsReport, useExistingAccount } from './check.js';
export { grantRights, revokeAll, setExactRights } from './grants.js';
export { generatePassword, readCredentials, type StoredCredentials, storeCredentials } from './password.js';
export { repairPassword } from './repair.js';
export { type AgentFeatures, type AgentRight, type GrantedRight, rightsFor } from './rights.js';
export {
  changeOwnPassword,
  type PasswordExpiry,
  readPasswordExpiry,
  rotationTime,
} from './rotation.js';
export {
  openServiceAccountSession,
  type PasswordCheck,
  type RotationOutcome,
  type ServiceAccountSession,
} from './session.js';
