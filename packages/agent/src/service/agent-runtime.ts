// Everything a running agent needs, built once from its state directory: identity, key, service
// account, the local store, the uplink, and the AD connection factory.
import type { Logger } from 'pino';
import type { AdConnectionOptions } from '../ad/connection.js';
import type { CycleDeps } from '../cycle/run-cycle.js';
import {
  openServiceAccountSession,
  type ServiceAccountSession,
  type ServiceAccountSessionOptions,
} from '../service-account/session.js';
import { type AgentIdentity, loadKey, readIdentity } from '../state/identity.js';
import { type LocalStore, openLocalStore } from '../state/local-store.js';
import {
  type AgentClientKey,
  createUplink,
  type HttpRequest,
  type HttpResponse,
  type Uplink,
} from '../uplink/index.js';

/** Key of the last service account password check in the local store's `kv` (for the status). */
export const PASSWORD_CHECK_KEY = 'serviceAccountPassword';

/** The agent's version, as heartbeats report it. */
export const AGENT_VERSION = '0.1.0';

export interface AgentRuntime {
  identity: AgentIdentity;
  store: LocalStore;
  uplink: Uplink;
  /** LDAPS settings of the service account (with its current password: never log this object). */
  adConnection: AdConnectionOptions;
  /** The service account: binds, explains refusals, keeps its password fresh. */
  serviceAccount: ServiceAccountSession;
  cycleDeps: CycleDeps;
  /** The client id and key on disk now: a repair replaces both while the service runs. */
  reloadKey(): Promise<AgentClientKey | undefined>;
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
  /** The service account password's expiry checks: clock and interval (tests move the clock). */
  passwordRotation?: Pick<ServiceAccountSessionOptions, 'now' | 'checkEveryMs'>;
}

/** Thrown when the state directory holds no installed agent. */
export class NotInstalledError extends Error {
  override readonly name = 'NotInstalledError';
}

/** Loads the runtime; throws `NotInstalledError` (with the next step) when something is missing. */
export async function loadRuntime(options: RuntimeOptions): Promise<AgentRuntime> {
  const identity = await readIdentity(options.stateDir);
  const key = await loadKey(options.stateDir);
  const serviceAccount = identity
    ? await openServiceAccountSession({
        stateDir: options.stateDir,
        connection: {
          url: options.adUrl ?? identity.dc.url,
          ...(identity.dc.caFile ? { tls: { caFile: identity.dc.caFile } } : {}),
          connectTimeoutMs: 10_000,
        },
        log: options.log,
        // An adopted account's password belongs to its administrator: warn, do not change it.
        rotate: identity.serviceAccount.created,
        onCheck: (check) => store.setValue(PASSWORD_CHECK_KEY, JSON.stringify(check)),
        ...options.passwordRotation,
      })
    : undefined;
  if (!identity || !key || !serviceAccount) {
    throw new NotInstalledError(
      `no agent is installed in ${options.stateDir}: run \`cloudsync agent install --state-dir ${options.stateDir}\``,
    );
  }
  const store = openLocalStore(options.stateDir);
  // A repair replaces the key (and the client id) while the service runs: read them again.
  const reloadKey = async (): Promise<AgentClientKey | undefined> => {
    const [again, stored] = await Promise.all([readIdentity(options.stateDir), loadKey(options.stateDir)]);
    return again && stored ? { clientId: again.clientId, privateKey: stored.privateKey } : undefined;
  };
  const uplink = createUplink({
    agentId: identity.agentId,
    clientId: identity.clientId,
    tokenEndpoint: identity.tokenEndpoint,
    apiBaseUrl: identity.apiBaseUrl,
    privateKey: key.privateKey,
    log: options.log,
    reloadKey,
    ...(identity.cloudCaFile ? { caFile: identity.cloudCaFile } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.send ? { send: options.send } : {}),
  });
  const cycleDeps: CycleDeps = {
    uplink,
    store,
    log: options.log,
    connectAd: () => serviceAccount.connect(),
    domainRoot: identity.domain.domainRoot,
    // Always set: a configuration may turn hash sync on later; without the rights its cycles then
    // report DRSR_MISSING_RIGHTS (re-run install with --password-hash-sync to grant them).
    drsr: {
      host: identity.dc.host,
      credentials: {
        domain: identity.domain.netbiosName,
        username: identity.serviceAccount.sAMAccountName,
        // Read at each replication: the password changes when the agent keeps it fresh.
        get password() {
          return serviceAccount.password;
        },
      },
    },
    ...(options.reconcileMinIntervalMs === undefined
      ? {}
      : { reconcileMinIntervalMs: options.reconcileMinIntervalMs }),
    ...(options.pageSize ? { pageSize: options.pageSize } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  };
  return {
    identity,
    store,
    uplink,
    adConnection: serviceAccount.connection,
    serviceAccount,
    cycleDeps,
    reloadKey,
    close: () => store.close(),
  };
}
