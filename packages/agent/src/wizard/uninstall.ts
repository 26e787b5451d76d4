// `cloudsync agent uninstall`: deregisters the agent in the cloud, removes the service account it
// created and its ACEs on the domain root, and deletes the state directory's files.
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { connectAd } from '../ad/connection.js';
import { AdError } from '../ad/errors.js';
import { removeServiceAccount } from '../service-account/account.js';
import { forgetCredentials } from '../service-account/password.js';
import { forgetIdentity, readIdentity } from '../state/identity.js';
import { STATE_DB_FILE } from '../state/local-store.js';
import { deregisterAgent, signInAdmin } from './cloud-admin.js';
import type { Prompter } from './prompts.js';

export interface UninstallOptions {
  stateDir: string;
  adminUser: string;
  adminPassword: string;
  domainAdmin: string;
  domainAdminPassword: string;
  prompter: Prompter;
}

/** Undoes `install`. Steps that find their part already gone go on with the next. */
export async function uninstall(options: UninstallOptions): Promise<{ acesRemoved: number }> {
  const say = options.prompter.print;
  const identity = await readIdentity(options.stateDir);
  if (!identity) throw new Error(`no agent is installed in ${options.stateDir}`);
  if (
    !(await options.prompter.confirm(`Uninstall agent ${identity.agentId} (${identity.domain.dnsName})?`))
  ) {
    throw new Error('uninstall cancelled (use --yes when unattended)');
  }
  const cloud = {
    cloudUrl: identity.cloudUrl,
    ...(identity.cloudCaFile ? { ca: readFileSync(identity.cloudCaFile, 'utf8') } : {}),
  };
  say(`1. Deregistering agent ${identity.agentId}`);
  const token = await signInAdmin(cloud, { username: options.adminUser, password: options.adminPassword });
  await deregisterAgent(cloud, token, identity.agentId);
  let acesRemoved = 0;
  if (identity.serviceAccount.created) {
    say(`2. Removing ${identity.serviceAccount.dn} and its rights`);
    const ad = await connectAd({
      url: identity.dc.url,
      bindDn: options.domainAdmin,
      password: options.domainAdminPassword,
      ...(identity.dc.caFile ? { tls: { caFile: identity.dc.caFile } } : {}),
    });
    try {
      ({ acesRemoved } = await removeServiceAccount(ad, {
        domainRoot: identity.domain.domainRoot,
        accountDn: identity.serviceAccount.dn,
      }));
      say(`   removed (${acesRemoved} ACEs)`);
    } catch (err) {
      if (!(err instanceof AdError && err.code === 'ad.no_such_object')) throw err;
      say('   already gone');
    } finally {
      await ad.close();
    }
  } else {
    say(`2. Keeping ${identity.serviceAccount.upn}: it was not created by the installer`);
  }
  say(`3. Deleting the state in ${options.stateDir}`);
  await forgetCredentials(options.stateDir);
  await forgetIdentity(options.stateDir);
  for (const f of [STATE_DB_FILE, `${STATE_DB_FILE}-wal`, `${STATE_DB_FILE}-shm`]) {
    await rm(join(options.stateDir, f), { force: true });
  }
  return { acesRemoved };
}
