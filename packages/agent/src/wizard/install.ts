// `cloudsync agent install`: (1) sign in to the cloud as a Global Administrator, (2) discover the
// domain from AD and confirm it, (3) create the dedicated service account (or adopt an existing one)
// with only the rights it needs, printing each, (4) register the agent with its own key pair, and
// (5) write the state. Re-running it repairs an install: same host, same agent id, new key; the
// account's rights are checked again and missing ones granted.
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { type AdConnection, type AdConnectionOptions, connectAd } from '../ad/connection.js';
import { type AdDomainInfo, discoverDomain } from '../ad/discovery.js';
import { AdError } from '../ad/errors.js';
import { AGENT_VERSION } from '../service/agent-runtime.js';
import { createServiceAccount, defaultAccountName, type ServiceAccount } from '../service-account/account.js';
import { checkRights, useExistingAccount } from '../service-account/check.js';
import { grantRights } from '../service-account/grants.js';
import { readCredentials } from '../service-account/password.js';
import { repairPassword } from '../service-account/repair.js';
import type { AgentFeatures } from '../service-account/rights.js';
import { type AgentIdentity, loadOrCreateKey, readIdentity, writeIdentity } from '../state/identity.js';
import { ensureStateDir } from '../state/state-dir.js';
import { registerAgent, signInAdmin } from './cloud-admin.js';
import type { Prompter } from './prompts.js';

export interface InstallOptions {
  cloudUrl: string;
  /** PEM file of the CA of the cloud's HTTPS certificate, when not publicly trusted. */
  cloudCaFile?: string;
  adminUser: string;
  adminPassword: string;
  /** DC host name or address, or an `ldaps://` URL. */
  dc: string;
  /** PEM file of the CA of the DC's LDAPS certificate. */
  caFile?: string;
  domainAdmin: string;
  domainAdminPassword: string;
  /** Adopt this existing account (UPN or DN) instead of creating one. */
  existingAccount?: { bindName: string; password: string };
  /** sAMAccountName of the account to create (default `cloudsync-<host>`). */
  serviceAccountName?: string;
  /** Where to create it (default `CN=Managed Service Accounts,<root>`). */
  serviceAccountParentDn?: string;
  passwordHashSync: boolean;
  stateDir: string;
  /** Host name the agent registers under (default: this machine's). */
  host?: string;
  prompter: Prompter;
}

export interface InstallResult {
  identity: AgentIdentity;
  repaired: boolean;
  domain: AdDomainInfo;
  account: Pick<ServiceAccount, 'dn' | 'upn' | 'sAMAccountName' | 'granted'>;
}

/** `ldaps://host:636` for a bare host, the URL itself otherwise. */
export function dcUrl(dc: string): string {
  return /^ldaps?:\/\//i.test(dc) ? dc : `ldaps://${dc}:636`;
}

/**
 * Installs (or repairs) the agent.
 * @example
 *   await install({ cloudUrl, adminUser, adminPassword, dc: 'dc1.corp.example', domainAdmin,
 *     domainAdminPassword, passwordHashSync: true, stateDir, prompter });
 */
export async function install(options: InstallOptions): Promise<InstallResult> {
  const say = options.prompter.print;
  const cloud = {
    cloudUrl: options.cloudUrl,
    ...(options.cloudCaFile ? { ca: readFileSync(options.cloudCaFile, 'utf8') } : {}),
  };
  say(`1. Signing in to ${options.cloudUrl} as ${options.adminUser}`);
  const adminToken = await signInAdmin(cloud, {
    username: options.adminUser,
    password: options.adminPassword,
  });
  say('   signed in (the password is not stored)');

  const url = dcUrl(options.dc);
  const connection: Omit<AdConnectionOptions, 'bindDn' | 'password'> = {
    url,
    ...(options.caFile ? { tls: { caFile: options.caFile } } : {}),
  };
  say(`2. Connecting to ${url} as ${options.domainAdmin}`);
  const admin = await connectAd({
    ...connection,
    bindDn: options.domainAdmin,
    password: options.domainAdminPassword,
  });
  try {
    const domain = await discoverDomain(admin);
    say(
      `   domain ${domain.dnsDomainName} (NetBIOS ${domain.netbiosName}, ${domain.domainSid}), DC ${domain.dcHostName}`,
    );
    if (!(await options.prompter.confirm(`   Synchronize ${domain.dnsDomainName}?`))) {
      throw new Error('installation cancelled: the domain was not confirmed (use --yes when unattended)');
    }
    await ensureStateDir(options.stateDir);
    const features: AgentFeatures = { passwordHashSync: options.passwordHashSync, writeback: false };
    say('3. Service account');
    const { account, created } = await serviceAccount(admin, options, domain, features, connection);
    say(`   ${account.upn} (${account.dn})`);
    for (const g of account.granted) say(`   right: ${g.right} on ${g.on}`);
    if (account.granted.length === 0)
      say('   rights: none beyond Authenticated Users (read, DirSync, notifications)');

    say('4. Registering the agent');
    const previous = await readIdentity(options.stateDir);
    const key = await loadOrCreateKey(options.stateDir, { rotate: previous !== undefined });
    const host = options.host ?? previous?.host ?? hostname();
    const { registration, repaired } = await registerAgent(cloud, adminToken, {
      host,
      version: AGENT_VERSION,
      publicJwk: key.publicJwk,
      domains: [domain.dnsDomainName.toLowerCase()],
    });
    say(`   agent ${registration.agentId} ${repaired ? 'repaired (same host: new key)' : 'registered'}`);

    const identity: AgentIdentity = {
      agentId: registration.agentId,
      clientId: registration.clientId,
      tokenEndpoint: registration.tokenEndpoint,
      apiBaseUrl: registration.apiBaseUrl,
      cloudUrl: options.cloudUrl,
      ...(options.cloudCaFile ? { cloudCaFile: options.cloudCaFile } : {}),
      host,
      installedAt: new Date().toISOString(),
      domain: {
        dnsName: domain.dnsDomainName.toLowerCase(),
        netbiosName: domain.netbiosName,
        sid: domain.domainSid,
        domainRoot: domain.defaultNamingContext,
      },
      dc: { url, host: new URL(url).hostname, ...(options.caFile ? { caFile: options.caFile } : {}) },
      serviceAccount: { upn: account.upn, dn: account.dn, sAMAccountName: account.sAMAccountName, created },
      passwordHashSync: options.passwordHashSync,
    };
    say(`5. Writing the state to ${options.stateDir}`);
    await writeIdentity(options.stateDir, identity);
    say('   done: start the agent with `cloudsync agent run`');
    return { identity, repaired, domain, account };
  } finally {
    await admin.close();
  }
}

/** Adopts, repairs or creates the service account. */
async function serviceAccount(
  admin: AdConnection,
  options: InstallOptions,
  domain: AdDomainInfo,
  features: AgentFeatures,
  connection: Omit<AdConnectionOptions, 'bindDn' | 'password'>,
): Promise<{ account: Pick<ServiceAccount, 'dn' | 'upn' | 'sAMAccountName' | 'granted'>; created: boolean }> {
  const domainRoot = domain.defaultNamingContext;
  if (options.existingAccount) {
    const account = await useExistingAccount({
      connection,
      bindDn: options.existingAccount.bindName,
      password: options.existingAccount.password,
      domainRoot,
      features,
      stateDir: options.stateDir,
    });
    return { account, created: false };
  }
  const previous = await readIdentity(options.stateDir);
  const stored = await readCredentials(options.stateDir);
  if (previous && stored) {
    try {
      const report = await checkRights(admin, { domainRoot, accountDn: stored.dn, features });
      const granted = await grantRights(admin, domainRoot, report.sid, report.missing);
      for (const g of granted) options.prompter.print(`   repaired: granted ${g.right} on ${g.on}`);
      const refused = await repairPassword(admin, { stateDir: options.stateDir, connection });
      if (refused) options.prompter.print(`   repaired: AD refused the password (${refused}); set a new one`);
      return {
        account: {
          dn: stored.dn,
          upn: stored.upn,
          sAMAccountName: previous.serviceAccount.sAMAccountName,
          granted: report.rights,
        },
        created: previous.serviceAccount.created,
      };
    } catch (err) {
      if (!(err instanceof AdError && err.code === 'ad.no_such_object')) throw err;
      options.prompter.print('   the stored service account no longer exists: creating a new one');
    }
  }
  const account = await createServiceAccount(admin, {
    domainRoot,
    dnsDomainName: domain.dnsDomainName,
    features,
    stateDir: options.stateDir,
    name: options.serviceAccountName ?? defaultAccountName(options.host),
    ...(options.serviceAccountParentDn ? { parentDn: options.serviceAccountParentDn } : {}),
  });
  return { account, created: true };
}
