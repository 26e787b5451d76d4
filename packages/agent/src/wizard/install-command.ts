// The command-line faces of the wizard: flags (and stdin secrets) → install / uninstall.
import type { InstallFlags } from '../cli.js';
import { defaultStateDir } from '../state/state-dir.js';
import { install } from './install.js';
import { createPrompter, type Prompter } from './prompts.js';
import { uninstall } from './uninstall.js';

function prompterFor(flags: InstallFlags): Prompter {
  return createPrompter({ interactive: !flags.yes && process.stdin.isTTY === true, yes: flags.yes === true });
}

async function answer(p: Prompter, value: string | undefined, question: string, fallback?: string) {
  return value ?? (await p.ask(question, fallback));
}

/** `cloudsync agent install`; returns the exit code. */
export async function runInstallCommand(flags: InstallFlags): Promise<number> {
  const p = prompterFor(flags);
  try {
    const cloudUrl = await answer(p, flags.cloud, 'Cloud URL');
    const adminUser = await answer(p, flags.adminUser, 'Cloud Global Administrator');
    const adminPassword = await p.secret(`Password of ${adminUser}`);
    const dc = await answer(p, flags.dc, 'Domain controller');
    const domainAdmin = await answer(
      p,
      flags.domainAdmin,
      'Domain administrator (to create the service account)',
    );
    const domainAdminPassword = await p.secret(`Password of ${domainAdmin}`);
    const existing = flags.serviceAccount
      ? { bindName: flags.serviceAccount, password: await p.secret(`Password of ${flags.serviceAccount}`) }
      : undefined;
    await install({
      cloudUrl,
      adminUser,
      adminPassword,
      dc,
      domainAdmin,
      domainAdminPassword,
      passwordHashSync: flags.passwordHashSync === true,
      stateDir: flags.stateDir ?? defaultStateDir(),
      prompter: p,
      ...(flags.cloudCaFile ? { cloudCaFile: flags.cloudCaFile } : {}),
      ...(flags.caFile ? { caFile: flags.caFile } : {}),
      ...(existing ? { existingAccount: existing } : {}),
      ...(flags.serviceAccountName ? { serviceAccountName: flags.serviceAccountName } : {}),
      ...(flags.serviceAccountOu ? { serviceAccountParentDn: flags.serviceAccountOu } : {}),
      ...(flags.host ? { host: flags.host } : {}),
    });
    return 0;
  } catch (err) {
    process.stderr.write(`install failed: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  } finally {
    p.close();
  }
}

/** `cloudsync agent uninstall`; returns the exit code. */
export async function runUninstallCommand(flags: InstallFlags): Promise<number> {
  const p = prompterFor(flags);
  try {
    const adminUser = await answer(p, flags.adminUser, 'Cloud Global Administrator');
    const adminPassword = await p.secret(`Password of ${adminUser}`);
    const domainAdmin = await answer(p, flags.domainAdmin, 'Domain administrator');
    const domainAdminPassword = await p.secret(`Password of ${domainAdmin}`);
    await uninstall({
      stateDir: flags.stateDir ?? defaultStateDir(),
      adminUser,
      adminPassword,
      domainAdmin,
      domainAdminPassword,
      prompter: p,
    });
    return 0;
  } catch (err) {
    process.stderr.write(`uninstall failed: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  } finally {
    p.close();
  }
}
