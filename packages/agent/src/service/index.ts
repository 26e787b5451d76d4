// The agent's service: `cloudsync agent run` and `cloudsync agent status`.
export { AGENT_VERSION, type AgentRuntime, loadRuntime, NotInstalledError } from './agent-runtime.js';
export { provisionOnDemand } from './provision-on-demand.js';
export { runService, type ServiceOptions } from './run-service.js';
export { type AgentStatus, formatStatus, readStatus } from './status.js';
