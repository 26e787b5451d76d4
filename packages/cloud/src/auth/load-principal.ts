import type { AccountQueries } from '../sign-in/accounts.js';
import type { AppRegistrations } from '../sign-in/app-registrations.js';
import { parseAgentClientId } from './agent-clients.js';
import type { Principal } from './principal.js';
import type { AccessTokenClaims } from './verify-access-token.js';

/**
 * Turns verified token claims into the principal as it is now in the store: current roles, so a
 * removed role takes effect at once; undefined when the account was disabled or removed since.
 */
export async function loadPrincipal(
  claims: AccessTokenClaims,
  deps: { accounts: AccountQueries; apps: AppRegistrations },
): Promise<Principal | undefined> {
  const tenantId = await deps.accounts.tenantId();
  if (claims.idtyp === 'user') {
    const user = await deps.accounts.findById(claims.sub);
    if (!user || user.deleted || !user.accountEnabled) return undefined;
    const roles = await deps.accounts.rolesOf(user.id);
    return {
      kind: 'user',
      id: user.id,
      tenantId,
      roles: ['User', ...roles.filter((r) => r !== 'User')],
      userPrincipalName: user.userPrincipalName,
    };
  }
  const app = await deps.apps.find(claims.client_id);
  if (!app?.accountEnabled) return undefined;
  // Agents hold no directory role: they reach the agent API only (see agents/agent-http.ts).
  const agent = parseAgentClientId(app.clientId);
  if (agent) return { kind: 'agent', id: agent.agentId, tenantId, roles: [] };
  return { kind: 'app', id: app.clientId, tenantId, roles: await deps.accounts.rolesOf(app.clientId) };
}
