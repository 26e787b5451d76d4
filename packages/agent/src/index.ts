// The agent's public API: what the CLI, the lab and tests build on.
export {
  type CycleDeps,
  type CycleProgress,
  cycleErrorBody,
  nextCycleKind,
  runCycle,
} from './cycle/index.js';
export { type HashSyncOptions, type HashSyncResult, syncPasswordHashes } from './password-hash-sync/index.js';
export {
  AGENT_VERSION,
  type AgentRuntime,
  type AgentStatus,
  formatStatus,
  loadRuntime,
  NotInstalledError,
  provisionOnDemand,
  readStatus,
  runService,
  type ServiceOptions,
} from './service/index.js';
export {
  type AgentIdentity,
  type CycleSummary,
  defaultStateDir,
  type LocalStore,
  openLocalStore,
  readIdentity,
} from './state/index.js';
export { createUplink, type Uplink, UplinkError } from './uplink/index.js';
export {
  createPrompter,
  type InstallOptions,
  type InstallResult,
  install,
  type UninstallOptions,
  uninstall,
} from './wizard/index.js';
