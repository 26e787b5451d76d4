// `cloudsync agent status`: what is installed in the state directory and how the last cycles went.
import { errorBodySchema } from '@cloudsync/protocol';
import { readCredentials } from '../service-account/password.js';
import type { PasswordCheck } from '../service-account/session.js';
import { readIdentity } from '../state/identity.js';
import { type CycleSummary, openLocalStore } from '../state/local-store.js';
import { PASSWORD_CHECK_KEY } from './agent-runtime.js';

export interface AgentStatus {
  installed: boolean;
  stateDir: string;
  agentId?: string;
  cloudUrl?: string;
  domain?: string;
  domainController?: string;
  serviceAccount?: string;
  passwordHashSync?: boolean;
  lastHeartbeat?: string;
  lastError?: ReturnType<typeof errorBodySchema.parse>;
  /** The service account password's last expiry check. */
  password?: PasswordCheck;
  lastCycles: CycleSummary[];
}

/** Reads the status from the state directory (no network). */
export async function readStatus(stateDir: string): Promise<AgentStatus> {
  const identity = await readIdentity(stateDir);
  const credentials = await readCredentials(stateDir).catch(() => undefined);
  if (!identity) return { installed: false, stateDir, lastCycles: [] };
  const store = openLocalStore(stateDir);
  try {
    const lastError = store.getValue('lastError');
    const lastHeartbeat = store.getValue('lastHeartbeat');
    const password = store.getValue(PASSWORD_CHECK_KEY);
    return {
      installed: credentials !== undefined,
      stateDir,
      agentId: identity.agentId,
      cloudUrl: identity.cloudUrl,
      domain: identity.domain.dnsName,
      domainController: identity.dc.url,
      serviceAccount: identity.serviceAccount.upn,
      passwordHashSync: identity.passwordHashSync,
      ...(lastHeartbeat ? { lastHeartbeat } : {}),
      ...(lastError ? { lastError: errorBodySchema.parse(JSON.parse(lastError)) } : {}),
      // Written by the runtime's onCheck as a PasswordCheck.
      ...(password ? { password: JSON.parse(password) as PasswordCheck } : {}),
      lastCycles: store.lastCycles(5),
    };
  } finally {
    store.close();
  }
}

/** The service account password's state in one line. */
function passwordLine(p: PasswordCheck | undefined): string {
  if (!p) return 'not checked yet (the service checks it hourly)';
  const changed = p.changedAt ? `, changed by the agent at ${p.changedAt}` : '';
  if (p.error) return `check failed at ${p.checkedAt}: ${p.error}${changed}`;
  if (p.warning) return p.warning;
  if (p.expiresAt === 'never') return `never expires${changed}`;
  if (!p.expiresAt) return `checked at ${p.checkedAt}${changed}`;
  return `expires ${p.expiresAt}; the agent changes it from ${p.rotateAt ?? 'now'}${changed}`;
}

/** The status as lines for a terminal. */
export function formatStatus(s: AgentStatus): string {
  if (!s.agentId) return `No agent is installed in ${s.stateDir}: run \`cloudsync agent install\`.`;
  const lines = [
    `agent       ${s.agentId}${s.installed ? '' : ' (service account password missing: re-run install)'}`,
    `cloud       ${s.cloudUrl}`,
    `domain      ${s.domain} via ${s.domainController}`,
    `account     ${s.serviceAccount}`,
    `password    ${passwordLine(s.password)}`,
    `hash sync   ${s.passwordHashSync ? 'on' : 'off'}`,
    `heartbeat   ${s.lastHeartbeat ?? 'never'}`,
    `last error  ${s.lastError ? `${s.lastError.code}: ${s.lastError.message}` : 'none'}`,
  ];
  const last = s.lastCycles[0];
  if (last) {
    const counts = last.counts
      ? Object.entries(last.counts)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')
      : '';
    lines.push(
      `last cycle  ${last.kind} ${last.state} at ${last.endedAt ?? last.startedAt}${counts ? ` (${counts})` : ''}`,
    );
    if (last.error) lines.push(`            ${last.error.code}: ${last.error.message}`);
  } else lines.push('last cycle  none yet');
  return lines.join('\n');
}
