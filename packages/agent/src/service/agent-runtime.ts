// Everything a running agent needs, built once from its state directory: identity, key, service
// account, the local store, the uplink, and the AD connection factory.
import type { Logger } from 'pino';
import { type AdConnectionOptions, connectAd } from '../ad/connection.js';
import type { CycleDeps } from '../cycle/run-cycle.js';
import { readCredentials } from '../service-account/password.js';
import { type AgentIdentity, loadKey, readIdentity } from '../state/identity.js';
import { type LocalStore, openLocalStore } from '../state/local-store.js';
import { createUplink, type HttpRequest, type HttpResponse, type Uplink } from '../uplink/index.js';

/** The agent's version, as heartbeats report it. */
export const AGENT_VERSION = '0.1.0';

export interface AgentRuntime {
  identity: AgentIdentity;
  store: LocalStore;
  uplink: Uplink;
  /** LDAPS settings of the service account (with its password: never log this object). */
  adConnection: AdConnectionOptions;
  cycleDeps: CycleDeps;
  close(): void;
}

export interface RuntimeOptions {
  stateDir: string;
  log: Logger;
  signal?: AbortSignal;
  reconcileMinIntervalMs?: number;
  /** Changes per page (default and maximum 500). */
  pageSize?: number;
  /** Overrides the DC's LDAP URL (tests route it through a relay). */
  adUrl?: string;
  send?: (req: HttpRequest) => Promise<HttpResponse>;
}

/** Thrown when the state directory holds no installed agent. */
export class NotInstalledError extends Error {
  override readonly name = 'NotInstalledError';
}

/** Loads the runtime; throws `NotInstalledError` (with the next step) when something is missing. */
export async function loadRuntime(options: RuntimeOptions): Promise<AgentRuntime> {
  const identity = await readIdentity(options.stateDir);
  const key = await loadKey(options.stateDir);
  const credentials = await readCredentials(options.stateDir);
  if (!identity || !key || !credentials) {
    throw new NotInstalledError(
      `no agent is installed in ${options.stateDir}: run \`cloudsync agent install --state-dir ${options.stateDir}\``,
    );
  }
  const store = openLocalStore(options.stateDir);
  const uplink = createUplink({
    agentId: identity.agentId,
    clientId: identity.clientId,
    tokenEndpoint: identity.tokenEndpoint,
    apiBaseUrl: identity.apiBaseUrl,
    privateKey: key.privateKey,
    log: options.log,
    ...(identity.cloudCaFile ? { caFile: identity.cloudCaFile } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.send ? { send: options.send } : {}),
  });
  const adConnection: AdConnectionOptions = {
    url: options.adUrl ?? identity.dc.url,
    bindDn: credentials.upn,
    password: credentials.password,
    ...(identity.dc.caFile ? { tls: { caFile: identity.dc.caFile } } : {}),
    connectTimeoutMs: 10_000,
  };
  const cycleDeps: CycleDeps = {
    uplink,
    store,
    log: options.log,
    connectAd: () => connectAd(adConnection),
    domainRoot: identity.domain.domainRoot,
    // Always set: a configuration may turn hash sync on later; without the rights its cycles then
    // report DRSR_MISSING_RIGHTS (re-run install with --password-hash-sync to grant them).
    drsr: {
      host: identity.dc.host,
      credentials: {
        domain: identity.domain.netbiosName,
        username: identity.serviceAccount.sAMAccountName,
        password: credentials.password,
      },
    },
    ...(options.reconcileMinIntervalMs === undefined
      ? {}
      : { reconcileMinIntervalMs: options.reconcileMinIntervalMs }),
    ...(options.pageSize ? { pageSize: options.pageSize } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  };
  return { identity, store, uplink, adConnection, cycleDeps, close: () => store.close() };
}
