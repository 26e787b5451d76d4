/** The wire protocol version; it is the `v1` of every path. */
export const PROTOCOL_VERSION = '1';

/** Every agent endpoint lives under this prefix. */
export const AGENT_API_PREFIX = `/agent/v${PROTOCOL_VERSION}`;

/**
 * The agent API paths, as Fastify route patterns (`:param`). Build concrete URLs with {@link agentPath}.
 */
export const AGENT_ROUTES = Object.freeze({
  register: `${AGENT_API_PREFIX}/agents`,
  heartbeat: `${AGENT_API_PREFIX}/agents/:agentId/heartbeat`,
  configurations: `${AGENT_API_PREFIX}/configurations`,
  cyclePage: `${AGENT_API_PREFIX}/cycles/:cycleId/pages`,
  cycleEnd: `${AGENT_API_PREFIX}/cycles/:cycleId/end`,
  passwordHashes: `${AGENT_API_PREFIX}/password-hashes`,
  writebackJobs: `${AGENT_API_PREFIX}/writeback/jobs`,
  writebackResult: `${AGENT_API_PREFIX}/writeback/jobs/:jobId/result`,
  cycleLease: `${AGENT_API_PREFIX}/configurations/:configurationId/lease`,
  jobs: `${AGENT_API_PREFIX}/jobs`,
  jobResult: `${AGENT_API_PREFIX}/jobs/:jobId/result`,
});
export type AgentRoute = keyof typeof AGENT_ROUTES;

/**
 * Fills a route pattern's parameters, URL-encoding each.
 * @example
 *   agentPath('cyclePage', { cycleId }) // '/agent/v1/cycles/6f1c…/pages'
 */
export function agentPath(route: AgentRoute, params: Record<string, string> = {}): string {
  return AGENT_ROUTES[route].replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`agentPath(${route}): missing parameter ${name}`);
    return encodeURIComponent(value);
  });
}
