import { ProtocolError } from '@cloudsync/protocol';
import type { ConfigurationView, SyncConfigurations } from '../sync-config/configuration-store.js';
import type { AgentRecord } from './agent-registry.js';

/** Looks up a configuration the way an agent may use it (see {@link createConfigurationForAgent}). */
export type ConfigurationForAgent = (
  agent: Pick<AgentRecord, 'domains'>,
  configurationId: string,
  options?: { enabled?: boolean; version?: number },
) => Promise<ConfigurationView>;

/**
 * The configuration lookup of the agent API and the sync ingest: `CONFIG_NOT_FOUND` unless it is a
 * configuration of one of the agent's domains; with `enabled: true`, `CONFIG_DISABLED` when it is
 * off; with `version`, `CONFIG_VERSION_STALE` when the agent runs an older version than the cloud's.
 * @example
 *   const cfg = await configurationForAgent(agent, page.configurationId, { enabled: true, version: page.configurationVersion });
 */
export function createConfigurationForAgent(configurations: SyncConfigurations): ConfigurationForAgent {
  return async (agent, configurationId, options = {}) => {
    const configuration = await configurations.find(configurationId);
    if (!configuration || !agent.domains.includes(configuration.domain.dnsName.toLowerCase())) {
      throw new ProtocolError('CONFIG_NOT_FOUND');
    }
    if (options.enabled && !configuration.enabled) throw new ProtocolError('CONFIG_DISABLED');
    if (options.version !== undefined && options.version < configuration.version) {
      throw new ProtocolError('CONFIG_VERSION_STALE', undefined, {
        current: configuration.version,
        sent: options.version,
      });
    }
    return configuration;
  };
}
