// `cloudsync agent install`: (1) sign in to the cloud as a Global Administrator, (2) discover the
// domain from AD and confirm it, then a summary of what will be done to confirm — nothing changes
// before that answer — (3) create the dedicated service account (or adopt an existing one) with only
// the rights it needs, printing each, (4) register the agent with its own key pair, and (5) write the
// state. Re-running it repairs an install: same host, same agent id, new key; the account's rights
// are checked again and missing ones granted.
import { readFileSync } from 'node:fs';
import { type AdConnection, type AdConnectionOptions, connectAd } from '../ad/connection.js';
import { type AdDomainInfo, discoverDomain } from '../ad/discovery.js';
import { AGENT_VERSION } from '../service/agent-runtime.js';
import { createServiceAccount, type ServiceAccount } from '../service-account/account.js';
import { useExistingAccount } from '../service-account/check.js';
import { grantRights } from '../service-account/grants.js';
import { repairPassword } from '../service-account/repair.js';
import { type AgentIdentity, loadOrCreateKey, writeIdentity } from '../state/identity.js';
import { ensureStateDir } from '../state/state-dir.js';
import { type CloudTarget, registerAgent, signInAdmin } from './cloud-admin.js';
import { formatPlan, type InstallPlan, planInstall } from './install-plan.js';
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

/** The administrator answered no: nothing was changed. */
export class InstallCancelledError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InstallCancelledError';
  }
}

/**
 * Installs (or repairs) the agent. Nothing changes (in AD, the cloud or the state directory) until
 * the domain and then the summary are confirmed; a "no" throws `InstallCancelledError`.
 * @example
 *   await install({ cloudUrl, adminUser, adminPassword, dc: 'dc1.corp.example', domainAdmin,
 *     domainAdminPassword, passwordHashSync: true, stateDir, prompter });
 */
export async function install(options: InstallOptions): Promise<InstallResult> {
  const p = options.prompter;
  const cloud = {
    cloudUrl: options.cloudUrl,
    ...(options.cloudCaFile ? { ca: readFileSync(options.cloudCaFile, 'utf8') } : {}),
  };
  p.print(`1. Signing in to ${options.cloudUrl} as ${options.adminUser}`);
  const adminToken = await signInAdmin(cloud, {
    username: options.adminUser,
    password: options.adminPassword,
  });
  p.print('   signed in (the password is not stored)');

  const url = dcUrl(options.dc);
  const connection: Omit<AdConnectionOptions, 'bindDn' | 'password'> = {
    url,
    ...(options.caFile ? { tls: { caFile: options.caFile } } : {}),
  };
  p.print(`2. Connecting to ${url} as ${options.domainAdmin}`);
  const admin = await connectAd({
    ...connection,
    bindDn: options.domainAdmin,
    password: options.domainAdminPassword,
  });
  try {
    const domain = await discoverDomain(admin);
    p.print(
      `   domain ${domain.dnsDomainName} (NetBIOS ${domain.netbiosName}, ${domain.domainSid}), DC ${domain.dcHostName}`,
    );
    if (!(await p.confirm(`   Synchronize ${domain.dnsDomainName}?`))) {
      throw new InstallCancelledError(
        'installation cancelled: the domain was not confirmed, nothing was changed (use --yes when unattended)',
      );
    }
    const plan = await planInstall(admin, options, domain);
    for (const note of plan.notes) p.print(`   ${note}`);
    for (const line of formatPlan(plan)) p.print(line);
    if (!(await p.confirm('Proceed?'))) {
      throw new InstallCancelledError('installation cancelled at the summary: nothing was changed');
    }
    return await carryOut(plan, admin, options, { adminToken, cloud, connection, url });
  } finally {
    await admin.close();
  }
}

/** Steps 3–5, after the summary was confirmed. */
async function carryOut(
  plan: InstallPlan,
  admin: AdConnection,
  options: InstallOptions,
  ctx: {
    adminToken: string;
    cloud: CloudTarget;
    connection: Omit<AdConnectionOptions, 'bindDn' | 'password'>;
    url: string;
  },
): Promise<InstallResult> {
  const say = options.prompter.print;
  const { domain, host } = plan;
  await ensureStateDir(options.stateDir);
  say('3. Service account');
  const { account, created } = await applyAccountPlan(plan, admin, options, ctx.connection);
  say(`   ${account.upn} (${account.dn})`);
  for (const g of account.granted) say(`   right: ${g.right} on ${g.on}`);
  if (account.granted.length === 0)
    say('   rights: none beyond Authenticated Users (read, DirSync, notifications)');

  say('4. Registering the agent');
  const key = await loadOrCreateKey(options.stateDir, { rotate: plan.previous !== undefined });
  const { registration, repaired } = await registerAgent(ctx.cloud, ctx.adminToken, {
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
    dc: {
      url: ctx.url,
      host: new URL(ctx.url).hostname,
      ...(options.caFile ? { caFile: options.caFile } : {}),
    },
    serviceAccount: { upn: account.upn, dn: account.dn, sAMAccountName: account.sAMAccountName, created },
    passwordHashSync: options.passwordHashSync,
  };
  say(`5. Writing the state to ${options.stateDir}`);
  await writeIdentity(options.stateDir, identity);
  say('   done: start the agent with `cloudsync agent run`');
  return { identity, repaired, domain, account };
}

/** Adopts, repairs or creates the service account, as planned. */
async function applyAccountPlan(
  plan: InstallPlan,
  admin: AdConnection,
  options: InstallOptions,
  connection: Omit<AdConnectionOptions, 'bindDn' | 'password'>,
): Promise<{ account: Pick<ServiceAccount, 'dn' | 'upn' | 'sAMAccountName' | 'granted'>; created: boolean }> {
  const domainRoot = plan.domain.defaultNamingContext;
  const planned = plan.account;
  if (planned.kind === 'adopt') {
    const existing = options.existingAccount;
    if (!existing) throw new Error(`no password given for ${planned.bindName}`);
    const account = await useExistingAccount({
      connection,
      bindDn: existing.bindName,
      password: existing.password,
      domainRoot,
      features: plan.features,
      stateDir: options.stateDir,
    });
    return { account, created: false };
  }
  if (planned.kind === 'keep') {
    const granted = await grantRights(admin, domainRoot, planned.sid, planned.missing);
    for (const g of granted) options.prompter.print(`   repaired: granted ${g.right} on ${g.on}`);
    const refused = await repairPassword(admin, { stateDir: options.stateDir, connection });
    if (refused) options.prompter.print(`   repaired: AD refused the password (${refused}); set a new one`);
    return {
      account: {
        dn: planned.dn,
        upn: planned.upn,
        sAMAccountName: planned.sAMAccountName,
        granted: planned.rights.map(({ right, on }) => ({ right, on })),
      },
      created: planned.created,
    };
  }
  const account = await createServiceAccount(admin, {
    domainRoot,
    dnsDomainName: plan.domain.dnsDomainName,
    features: plan.features,
    stateDir: options.stateDir,
    name: planned.sAMAccountName,
    parentDn: planned.parentDn,
  });
  return { account, created: true };
}
