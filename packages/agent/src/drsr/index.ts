// MS-DRSR replication client: reads accounts and their NT hashes from Active Directory (or Samba
// AD) the way a DC replicates, over DCE/RPC sealed with NTLM. See replicate.ts for the flows.
export type { ReplicatedAccount } from './account.js';
export { DrsrError, type DrsrErrorCode } from './errors.js';
export {
  type ConnectionOptions,
  type ReplicationCredentials,
  type ReplicationOptions,
  type ReplicationRun,
  replicateSecrets,
} from './replicate.js';
export {
  type ObjectOptions,
  type ObjectsOptions,
  replicateObject,
  replicateObjects,
} from './replicate-object.js';
export { parseWatermark, type Watermark } from './watermark.js';
