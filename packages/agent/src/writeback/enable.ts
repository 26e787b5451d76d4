import { readFile } from 'node:fs/promises';
import { connectAd } from '../ad/connection.js';
import { checkRights, type GrantedRight, grantRights } from '../service-account/index.js';
import type { AgentRight } from '../service-account/rights.js';
import { readIdentity } from '../state/identity.js';
import { sendHttp } from '../uplink/http.js';
import { signInAdmin } from '../wizard/cloud-admin.js';

/** The rights writeback needs on the synchronized users (granted on the domain root, inherited). */
export const WRITEBACK_RIGHTS: readonly AgentRight[] = [
  'Reset Password',
  'Write lockoutTime',
  'Write pwdLastSet',
];

export interface EnableWritebackOptions {
  stateDir: string;
  /** A Global Administrator of the cloud. */
  adminUser: string;
  adminPassword: string;
  /** An AD account allowed to change the domain root's permissions (Domain Admins). */
  domainAdmin: string;
  domainAdminPassword: string;
  print: (line: string) => void;
}

/**
 * `cloudsync agent writeback enable`: checks the service account's reset rights in AD and grants the
 * missing ones (printing each), then turns `passwordWriteback` on for the agent's configuration.
 * Returns the rights granted now.
 */
export async function enableWriteback(options: EnableWritebackOptions): Promise<GrantedRight[]> {
  const identity = await readIdentity(options.stateDir);
  if (!identity)
    throw new Error(`no agent is installed in ${options.stateDir}: run \`cloudsync agent install\` first`);
  const ca = identity.cloudCaFile ? await readFile(identity.cloudCaFile, 'utf8') : undefined;
  const target = { cloudUrl: identity.cloudUrl, ...(ca ? { ca } : {}) };
  const token = await signInAdmin(target, { username: options.adminUser, password: options.adminPassword });

  const ad = await connectAd({
    url: identity.dc.url,
    bindDn: options.domainAdmin,
    password: options.domainAdminPassword,
    ...(identity.dc.caFile ? { tls: { caFile: identity.dc.caFile } } : {}),
  });
  let granted: GrantedRight[] = [];
  try {
    const report = await checkRights(ad, {
      domainRoot: identity.domain.domainRoot,
      accountDn: identity.serviceAccount.dn,
      features: { passwordHashSync: identity.passwordHashSync, writeback: true },
    });
    const missing = report.missing.filter((r) => WRITEBACK_RIGHTS.includes(r));
    granted = await grantRights(ad, identity.domain.domainRoot, report.sid, missing);
    for (const g of granted) options.print(`granted ${g.right} to ${identity.serviceAccount.upn} on ${g.on}`);
    if (granted.length === 0)
      options.print(`${identity.serviceAccount.upn} already holds the writeback rights`);
  } finally {
    await ad.close();
  }

  const api = identity.cloudUrl.replace(/\/+$/, '');
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const list = await sendHttp({
    method: 'GET',
    url: `${api}/v1.0/cloudsync/configurations`,
    headers,
    ...(ca ? { ca } : {}),
  });
  if (list.status !== 200)
    throw new Error(`the cloud refused to list configurations (${list.status}): ${list.text.slice(0, 200)}`);
  const body: unknown = JSON.parse(list.text);
  const configs =
    typeof body === 'object' && body && 'value' in body && Array.isArray(body.value) ? body.value : [];
  const domain = identity.domain.dnsName.toLowerCase();
  const config: unknown = configs.find(
    (c: unknown) =>
      typeof c === 'object' &&
      c &&
      'domain' in c &&
      typeof c.domain === 'object' &&
      c.domain &&
      'dnsName' in c.domain &&
      String(c.domain.dnsName).toLowerCase() === domain,
  );
  const id = typeof config === 'object' && config && 'id' in config ? String(config.id) : undefined;
  if (!id) throw new Error(`the cloud has no sync configuration for ${domain}: create one first`);
  const patched = await sendHttp({
    method: 'PATCH',
    url: `${api}/v1.0/cloudsync/configurations/${id}`,
    headers,
    body: JSON.stringify({ passwordWriteback: true }),
    ...(ca ? { ca } : {}),
  });
  if (patched.status !== 200)
    throw new Error(
      `the cloud refused to turn writeback on (${patched.status}): ${patched.text.slice(0, 200)}`,
    );
  options.print(`password writeback is on for ${domain} (configuration ${id})`);
  return granted;
}
