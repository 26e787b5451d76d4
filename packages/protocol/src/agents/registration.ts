import { z } from 'zod';
import { dnsNameSchema, idSchema, safeText, versionStringSchema } from '../common.js';
import { LIMITS } from '../limits.js';
import { publicJwkSchema } from './public-jwk.js';

/**
 * `POST /agent/v1/agents` — sent once by the install wizard, authenticated with the signed-in
 * admin's access token. The agent keeps its private key; only the public JWK leaves the server.
 */
export const agentRegistrationRequestSchema = z.object({
  host: safeText(LIMITS.hostLength).min(1),
  version: versionStringSchema,
  publicJwk: publicJwkSchema,
  /** DNS names of the AD domains this agent serves. */
  domains: z.array(dnsNameSchema).min(1).max(LIMITS.domainsPerAgent),
});
export type AgentRegistrationRequest = z.infer<typeof agentRegistrationRequestSchema>;

/** What the agent needs to authenticate from now on: an OAuth client using private_key_jwt. */
export const agentRegistrationResponseSchema = z.object({
  agentId: idSchema,
  /** The OAuth client_id; the agent signs its client assertions with its private key. */
  clientId: z.string().min(1).max(256),
  tokenEndpoint: z.url({ protocol: /^https?$/ }),
  /** The `aud` of access tokens, and the base URL of `/agent/v1`. */
  apiBaseUrl: z.url({ protocol: /^https?$/ }),
  /** Scopes to request: `agent` (sync, hashes) and `agent.writeback` when writeback is enabled. */
  scopes: z.array(z.string().min(1).max(64)).max(16),
});
export type AgentRegistrationResponse = z.infer<typeof agentRegistrationResponseSchema>;
