/**
 * OAuth clients of registered agents are app registrations whose client id carries the agent id:
 * `cloudsync-agent-<agentId>.<key generation>`. A repair (new key) registers the next generation and
 * disables the previous one, so tokens signed for an old key stop working at once.
 */
export const AGENT_CLIENT_PREFIX = 'cloudsync-agent-';

const AGENT_CLIENT =
  /^cloudsync-agent-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.(\d{1,9})$/;

/** The client id of an agent's key generation `generation` (1 for the first registration). */
export function agentClientId(agentId: string, generation: number): string {
  return `${AGENT_CLIENT_PREFIX}${agentId.toLowerCase()}.${generation}`;
}

/** The agent id and key generation of an agent client id; undefined for any other client. */
export function parseAgentClientId(clientId: string): { agentId: string; generation: number } | undefined {
  const m = AGENT_CLIENT.exec(clientId);
  if (!m?.[1] || !m[2]) return undefined;
  return { agentId: m[1], generation: Number(m[2]) };
}
