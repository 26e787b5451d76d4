// What `install` will do, worked out before anything changes (reads only: the state directory, the
// domain, the stored account's rights), and the summary the administrator confirms — Microsoft's
// wizard ends on the same kind of "Confirm" page.
import { hostname } from 'node:os';
import type { AdConnection } from '../ad/connection.js';
import type { AdDomainInfo } from '../ad/discovery.js';
import { AdError } from '../ad/errors.js';
import { defaultAccountName } from '../service-account/account.js';
import { checkRights, type RightCheck } from '../service-account/check.js';
import { readCredentials } from '../service-account/password.js';
import { type AgentFeatures, type AgentRight, describe, rightsFor } from '../service-account/rights.js';
import { type AgentIdentity, readIdentity } from '../state/identity.js';
import type { InstallOptions } from './install.js';

/** The service account step, decided. */
export type AccountPlan =
  | { kind: 'create'; sAMAccountName: string; upn: string; parentDn: string; rights: RightCheck[] }
  | {
      kind: 'keep';
      dn: string;
      sid: string;
      upn: string;
      sAMAccountName: string;
      created: boolean;
      /** The rights the features need, held or to grant. */
      rights: RightCheck[];
      missing: AgentRight[];
    }
  | { kind: 'adopt'; bindName: string; rights: RightCheck[] };

/** Everything the summary names; `install` then carries it out. */
export interface InstallPlan {
  cloudUrl: string;
  adminUser: string;
  host: string;
  /** The installed agent this run repairs, when the state directory holds one. */
  previous?: AgentIdentity;
  domain: AdDomainInfo;
  features: AgentFeatures;
  account: AccountPlan;
  /** Password writeback: on when the kept account already holds its rights (enabled separately). */
  writeback: boolean;
  /** Said before the summary, e.g. that the stored account is gone. */
  notes: string[];
  stateDir: string;
}

const toGrant = (root: string, rights: readonly AgentRight[]): RightCheck[] =>
  rights.map((r) => ({ ...describe(r, root), held: false }));

/** Works out the install without changing anything. */
export async function planInstall(
  admin: AdConnection,
  options: InstallOptions,
  domain: AdDomainInfo,
): Promise<InstallPlan> {
  const previous = await readIdentity(options.stateDir);
  const features: AgentFeatures = { passwordHashSync: options.passwordHashSync, writeback: false };
  const root = domain.defaultNamingContext;
  const notes: string[] = [];
  let writeback = false;
  let account: AccountPlan | undefined;
  if (options.existingAccount) {
    account = {
      kind: 'adopt',
      bindName: options.existingAccount.bindName,
      rights: toGrant(root, rightsFor(features)),
    };
  } else {
    const stored = await readCredentials(options.stateDir);
    if (previous && stored) {
      try {
        // Asked with writeback too, to tell whether writeback is on; only the features' rights are granted.
        const report = await checkRights(admin, {
          domainRoot: root,
          accountDn: stored.dn,
          features: { ...features, writeback: true },
        });
        const needed = new Set(rightsFor(features));
        const rights = report.rights.filter((r) => needed.has(r.right));
        writeback = report.rights.every((r) => needed.has(r.right) || r.held);
        account = {
          kind: 'keep',
          dn: stored.dn,
          sid: report.sid,
          upn: stored.upn,
          sAMAccountName: previous.serviceAccount.sAMAccountName,
          created: previous.serviceAccount.created,
          rights,
          missing: rights.filter((r) => !r.held).map((r) => r.right),
        };
      } catch (err) {
        if (!(err instanceof AdError && err.code === 'ad.no_such_object')) throw err;
        notes.push(`the stored service account ${stored.upn} no longer exists: a new one will be created`);
      }
    }
  }
  if (!account) {
    const sAMAccountName = options.serviceAccountName ?? defaultAccountName(options.host);
    account = {
      kind: 'create',
      sAMAccountName,
      upn: `${sAMAccountName}@${domain.dnsDomainName.toLowerCase()}`,
      parentDn: options.serviceAccountParentDn ?? `CN=Managed Service Accounts,${root}`,
      rights: toGrant(root, rightsFor(features)),
    };
  }
  return {
    cloudUrl: options.cloudUrl,
    adminUser: options.adminUser,
    host: options.host ?? previous?.host ?? hostname(),
    ...(previous ? { previous } : {}),
    domain,
    features,
    account,
    writeback,
    notes,
    stateDir: options.stateDir,
  };
}

function accountLines(account: AccountPlan): string[] {
  const rights = account.rights.map(
    (r) => `      ${account.kind === 'keep' && r.held ? 'holds' : 'grant'} ${r.right} on ${r.on}`,
  );
  const none =
    rights.length === 0 ? ['      no rights beyond Authenticated Users (read, DirSync, notifications)'] : [];
  switch (account.kind) {
    case 'create':
      return [
        `create ${account.upn} in ${account.parentDn} (random 64-character password)`,
        ...rights,
        ...none,
      ];
    case 'keep':
      return [`keep ${account.upn} (${account.dn})`, ...rights, ...none];
    case 'adopt':
      return [
        `use the existing ${account.bindName} (its password and rights are checked first; nothing is granted)`,
        ...account.rights.map((r) => `      must hold ${r.right} on ${r.on}`),
        ...none,
      ];
  }
}

/** The summary lines, printed before "Proceed?". */
export function formatPlan(plan: InstallPlan): string[] {
  const [firstAccountLine = '', ...rightLines] = accountLines(plan.account);
  const agent = plan.previous
    ? `repair agent ${plan.previous.agentId} (same host, new key)`
    : 'register a new agent (its own key pair; the password is not stored)';
  return [
    'Summary — nothing has been changed yet:',
    `   Cloud:               ${plan.cloudUrl}`,
    `   Registered by:       ${plan.adminUser}: ${agent}`,
    `   Agent host:          ${plan.host}`,
    `   Domain:              ${plan.domain.dnsDomainName.toLowerCase()} (NetBIOS ${plan.domain.netbiosName}, DC ${plan.domain.dcHostName})`,
    `   Service account:     ${firstAccountLine}`,
    ...rightLines,
    `   Password hash sync:  ${plan.features.passwordHashSync ? 'on' : 'off'}`,
    `   Password writeback:  ${plan.writeback ? 'on (the account keeps its reset rights)' : 'off (turn it on later: `cloudsync agent writeback enable`)'}`,
    `   State directory:     ${plan.stateDir}`,
  ];
}
