// The agent's durable local state (see docs/agent.md).
export {
  type AgentIdentity,
  type AgentKey,
  agentIdentitySchema,
  forgetIdentity,
  loadKey,
  loadOrCreateKey,
  readIdentity,
  writeIdentity,
} from './identity.js';
export {
  type CycleCommit,
  type CycleSummary,
  dnKeyOf,
  type ExportRecord,
  type LocalStore,
  openLocalStore,
  type StoredCursor,
} from './local-store.js';
export { defaultStateDir, ensureStateDir, writeFileAtomic } from './state-dir.js';
