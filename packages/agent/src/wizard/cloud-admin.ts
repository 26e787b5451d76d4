// The wizard's calls to the cloud as the signed-in Global Administrator: sign-in (the password grant
// of the built-in `cloudsync-cli` client), agent registration and deregistration. Plain HTTP calls,
// so the agent never loads the cloud's code; the admin's password is used once and not kept.
import {
  AGENT_ROUTES,
  type AgentRegistrationRequest,
  type AgentRegistrationResponse,
  agentRegistrationRequestSchema,
  agentRegistrationResponseSchema,
} from '@cloudsync/protocol';
import { fromResponse, unreachable } from '../uplink/errors.js';
import { type HttpResponse, sendHttp } from '../uplink/http.js';

const CLI_CLIENT_ID = 'cloudsync-cli';
const GRAPH_RESOURCE = 'urn:cloudsync:graph';

export interface CloudTarget {
  cloudUrl: string;
  /** PEM text of a CA to trust for the cloud's certificate. */
  ca?: string;
}

async function send(target: CloudTarget, req: Parameters<typeof sendHttp>[0]): Promise<HttpResponse> {
  try {
    return await sendHttp({ ...req, ...(target.ca ? { ca: target.ca } : {}) });
  } catch (err) {
    throw unreachable(req.url, err);
  }
}

function base(cloudUrl: string): string {
  return cloudUrl.replace(/\/+$/, '');
}

/** Signs in as an administrator and returns an admin API access token. */
export async function signInAdmin(
  target: CloudTarget,
  credentials: { username: string; password: string },
): Promise<string> {
  const discovery = await send(target, {
    method: 'GET',
    url: `${base(target.cloudUrl)}/oauth2/.well-known/openid-configuration`,
  });
  if (discovery.status !== 200) {
    throw new Error(
      `${target.cloudUrl} does not look like a cloudsync cloud (discovery answered ${discovery.status})`,
    );
  }
  const meta: unknown = JSON.parse(discovery.text);
  const tokenEndpoint =
    typeof meta === 'object' && meta && 'token_endpoint' in meta && typeof meta.token_endpoint === 'string'
      ? meta.token_endpoint
      : undefined;
  if (!tokenEndpoint) throw new Error(`${target.cloudUrl} publishes no token endpoint`);
  const res = await send(target, {
    method: 'POST',
    url: tokenEndpoint,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'password',
      client_id: CLI_CLIENT_ID,
      username: credentials.username,
      password: credentials.password,
      resource: GRAPH_RESOURCE,
    }).toString(),
  });
  const body: unknown = JSON.parse(res.text || '{}');
  const token =
    typeof body === 'object' && body && 'access_token' in body && typeof body.access_token === 'string'
      ? body.access_token
      : undefined;
  if (!token) {
    const why =
      typeof body === 'object' && body && 'error_description' in body
        ? String(body.error_description)
        : res.status;
    throw new Error(`the cloud refused the administrator's sign-in: ${why}`);
  }
  return token;
}

/** Registers the agent (or repairs the registration of the same host): 201 new, 200 repaired. */
export async function registerAgent(
  target: CloudTarget,
  adminToken: string,
  registration: AgentRegistrationRequest,
): Promise<{ registration: AgentRegistrationResponse; repaired: boolean }> {
  const res = await send(target, {
    method: 'POST',
    url: `${base(target.cloudUrl)}${AGENT_ROUTES.register}`,
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(agentRegistrationRequestSchema.parse(registration)),
  });
  if (res.status !== 200 && res.status !== 201)
    throw fromResponse('agent registration', res.status, res.text);
  return {
    registration: agentRegistrationResponseSchema.parse(JSON.parse(res.text)),
    repaired: res.status === 200,
  };
}

/** Deregisters the agent (`DELETE /v1.0/cloudsync/agents/{id}`); an agent already gone is fine. */
export async function deregisterAgent(
  target: CloudTarget,
  adminToken: string,
  agentId: string,
): Promise<void> {
  const res = await send(target, {
    method: 'DELETE',
    url: `${base(target.cloudUrl)}/v1.0/cloudsync/agents/${encodeURIComponent(agentId)}`,
    headers: { authorization: `Bearer ${adminToken}` },
  });
  if (res.status >= 300 && res.status !== 404) {
    throw new Error(`the cloud refused to deregister agent ${agentId} (HTTP ${res.status})`);
  }
}
