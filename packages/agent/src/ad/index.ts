// The Active Directory source of the agent: what it reads from AD over LDAPS.
export {
  type AdBinaryAttribute,
  type AdObject,
  type AdObjectKind,
  type AdTextAttribute,
  fileTimeToDate,
  first,
  generalizedTimeToDate,
  guidFromString,
  guidToString,
  isDisabled,
  SYNC_ATTRIBUTES,
  SYNC_FILTER,
  sidFromString,
  sidToString,
} from './attributes.js';
export {
  type AdConnection,
  type AdConnectionOptions,
  adConnectionOptionsSchema,
  connectAd,
} from './connection.js';
export {
  type AdChange,
  type DeletionStrategy,
  type DeltaOptions,
  type DeltaResult,
  type DeltaState,
  detectDeletionStrategy,
  readDelta,
  startDelta,
} from './delta.js';
export {
  AGENT_DIRSYNC_FLAGS,
  type DirSyncPage,
  dirSyncCurrentCookie,
  dirSyncPage,
  dirSyncPages,
} from './dirsync.js';
export { type AdDomainInfo, discoverDomain, highestCommittedUsn } from './discovery.js';
export { AdError, type AdErrorCode } from './errors.js';
export { type FullImportOptions, fullImport } from './full-import.js';
export {
  type ChangeSignal,
  ChangeWatcher,
  type ChangeWatcherOptions,
  watchChanges,
} from './notifications.js';
export { DEFAULT_RANGE_SIZE, readAllValues, readValueRange } from './ranged.js';
export { type AdTlsOptions, certificateSha256 } from './tls.js';
