// The command-line faces of the wizard: flags, typed answers (or stdin secrets) → install / uninstall.
// On a terminal without `--yes`, whatever no flag gave is asked; unattended, every flag is given, the
// passwords are piped one a line, and `--yes` answers the confirmations.
import type { Readable, Writable } from 'node:stream';
import type { InstallFlags } from '../cli.js';
import { defaultStateDir } from '../state/state-dir.js';
import { PromptInterruptedError } from './input-reader.js';
import { InstallCancelledError, type InstallOptions, install } from './install.js';
import { createPrompter, type Prompter } from './prompts.js';
import { uninstall } from './uninstall.js';

/** Where the command reads and writes; tests inject streams. */
export interface CommandIo {
  input: Readable;
  output: Writable;
  errors: Writable;
  /** Ask for what the flags leave out (default: stdin is a terminal and no `--yes`). */
  interactive: boolean;
}

function processIo(flags: InstallFlags): CommandIo {
  return {
    input: process.stdin,
    output: process.stdout,
    errors: process.stderr,
    interactive: !flags.yes && process.stdin.isTTY === true,
  };
}

async function answer(p: Prompter, value: string | undefined, question: string, fallback?: string) {
  return value ?? (await p.ask(question, fallback));
}

/** An optional answer: the flag, else asked (empty: none). */
async function optional(p: Prompter, value: string | undefined, question: string) {
  return value ?? ((await p.ask(question, '')) || undefined);
}

/** The install options from the flags and, for what they leave out, the administrator's answers. */
export async function gatherInstallOptions(flags: InstallFlags, p: Prompter): Promise<InstallOptions> {
  const cloudUrl = await answer(p, flags.cloud, 'Cloud URL');
  const cloudCaFile = await optional(
    p,
    flags.cloudCaFile,
    "PEM CA of the cloud's certificate (empty: system CAs)",
  );
  const adminUser = await answer(p, flags.adminUser, 'Cloud Global Administrator');
  const adminPassword = await p.secret(`Password of ${adminUser}`);
  const dc = await answer(p, flags.dc, 'Domain controller (host name, address or ldaps:// URL)');
  const caFile = await optional(p, flags.caFile, "PEM CA of the DC's LDAPS certificate (empty: system CAs)");
  const domainAdmin = await answer(
    p,
    flags.domainAdmin,
    'Domain administrator (to create the service account)',
  );
  const domainAdminPassword = await p.secret(`Password of ${domainAdmin}`);
  const existingName = await optional(
    p,
    flags.serviceAccount,
    'Existing service account to use (empty: create one)',
  );
  const existing = existingName
    ? { bindName: existingName, password: await p.secret(`Password of ${existingName}`) }
    : undefined;
  const passwordHashSync =
    flags.passwordHashSync ??
    (await p.choose('Password hash sync (grants the two replication rights on the domain root)?', false));
  return {
    cloudUrl,
    adminUser,
    adminPassword,
    dc,
    domainAdmin,
    domainAdminPassword,
    passwordHashSync,
    stateDir: flags.stateDir ?? defaultStateDir(),
    prompter: p,
    ...(cloudCaFile ? { cloudCaFile } : {}),
    ...(caFile ? { caFile } : {}),
    ...(existing ? { existingAccount: existing } : {}),
    ...(flags.serviceAccountName ? { serviceAccountName: flags.serviceAccountName } : {}),
    ...(flags.serviceAccountOu ? { serviceAccountParentDn: flags.serviceAccountOu } : {}),
    ...(flags.host ? { host: flags.host } : {}),
  };
}

async function runWith(
  flags: InstallFlags,
  io: CommandIo,
  what: string,
  body: (p: Prompter) => Promise<unknown>,
): Promise<number> {
  const p = createPrompter({
    interactive: io.interactive,
    yes: flags.yes === true,
    input: io.input,
    output: io.output,
  });
  try {
    await body(p);
    return 0;
  } catch (err) {
    if (err instanceof InstallCancelledError || err instanceof PromptInterruptedError) {
      io.errors.write(`${err.message}\n`);
      return err instanceof PromptInterruptedError ? 130 : 1;
    }
    io.errors.write(`${what} failed: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  } finally {
    p.close();
  }
}

/** `cloudsync agent install`; returns the exit code (1 when it failed or was cancelled). */
export function runInstallCommand(flags: InstallFlags, io: CommandIo = processIo(flags)): Promise<number> {
  return runWith(flags, io, 'install', async (p) => install(await gatherInstallOptions(flags, p)));
}

/** `cloudsync agent uninstall`; returns the exit code. */
export function runUninstallCommand(flags: InstallFlags, io: CommandIo = processIo(flags)): Promise<number> {
  return runWith(flags, io, 'uninstall', async (p) => {
    const adminUser = await answer(p, flags.adminUser, 'Cloud Global Administrator');
    const adminPassword = await p.secret(`Password of ${adminUser}`);
    const domainAdmin = await answer(p, flags.domainAdmin, 'Domain administrator');
    const domainAdminPassword = await p.secret(`Password of ${domainAdmin}`);
    return uninstall({
      stateDir: flags.stateDir ?? defaultStateDir(),
      adminUser,
      adminPassword,
      domainAdmin,
      domainAdminPassword,
      prompter: p,
    });
  });
}
