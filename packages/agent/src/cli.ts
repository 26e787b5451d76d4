import type { Command } from 'commander';

/** Flags of `cloudsync agent install`, as commander parses them. */
export interface InstallFlags {
  cloud?: string;
  cloudCaFile?: string;
  adminUser?: string;
  adminPasswordStdin?: boolean;
  dc?: string;
  caFile?: string;
  domainAdmin?: string;
  domainAdminPasswordStdin?: boolean;
  serviceAccount?: string;
  serviceAccountName?: string;
  serviceAccountOu?: string;
  passwordHashSync?: boolean;
  host?: string;
  stateDir?: string;
  yes?: boolean;
}

/** Flags of `cloudsync agent run`. */
export interface RunFlags {
  stateDir?: string;
  heartbeatSeconds?: string;
  scheduleSeconds?: string;
  logLevel?: string;
  watch?: boolean;
  reconcileSeconds?: string;
  pageSize?: string;
}

/** Declares `cloudsync agent ...`. Implementations are imported inside each action. */
export function registerAgentCommands(program: Command): void {
  const agent = program.command('agent').description('Install and run the on-premises agent');
  agent
    .command('install')
    .description(
      'Register this agent with the cloud and create its AD service account (re-run to repair). ' +
        'On a terminal it asks for what no flag gives (passwords are not echoed) and ends with a summary to confirm. ' +
        'Unattended: give every flag, pipe the passwords on stdin one per line (cloud admin first), and --yes.',
    )
    .option('--cloud <url>', 'cloud URL, e.g. https://cloud.example')
    .option('--cloud-ca-file <file>', 'PEM CA to trust for the cloud certificate')
    .option('--admin-user <upn>', 'a Global Administrator of the cloud')
    .option('--admin-password-stdin', "read the cloud administrator's password from stdin")
    .option('--dc <host>', 'domain controller host name or address, or an ldaps:// URL')
    .option('--ca-file <file>', "PEM CA that issued the DC's LDAPS certificate")
    .option('--domain-admin <upn>', 'an AD account that may create the service account and grant rights')
    .option('--domain-admin-password-stdin', "read the domain administrator's password from stdin")
    .option('--service-account <upn>', 'adopt this existing account (its password is read from stdin next)')
    .option(
      '--service-account-name <sam>',
      'sAMAccountName of the account to create (default cloudsync-<host>)',
    )
    .option('--service-account-ou <dn>', 'where to create it (default CN=Managed Service Accounts)')
    .option('--password-hash-sync', 'grant the replication rights password hash sync needs')
    .option('--host <name>', 'host name to register under (default: this machine)')
    .option(
      '--state-dir <dir>',
      'state directory (default /var/lib/cloudsync-agent as root, else ~/.cloudsync-agent)',
    )
    .option('--yes', 'answer yes to every confirmation')
    .action(async (flags: InstallFlags) => {
      const { runInstallCommand } = await import('./wizard/install-command.js');
      process.exitCode = await runInstallCommand(flags);
    });
  agent
    .command('uninstall')
    .description('Deregister the agent, remove its service account and rights, delete its state')
    .option('--admin-user <upn>', 'a Global Administrator of the cloud')
    .option('--admin-password-stdin', "read the cloud administrator's password from stdin")
    .option('--domain-admin <upn>', 'an AD account that may delete the service account')
    .option('--domain-admin-password-stdin', "read the domain administrator's password from stdin")
    .option('--state-dir <dir>', 'state directory')
    .option('--yes', 'answer yes to every confirmation')
    .action(async (flags: InstallFlags) => {
      const { runUninstallCommand } = await import('./wizard/install-command.js');
      process.exitCode = await runUninstallCommand(flags);
    });
  agent
    .command('run')
    .description('Run the agent service (heartbeats, sync cycles, jobs) until SIGTERM')
    .option('--state-dir <dir>', 'state directory')
    .option('--heartbeat-seconds <n>', 'heartbeat interval (default 30)')
    .option(
      '--schedule-seconds <n>',
      'cycle schedule, the safety net behind change notifications (default 120)',
    )
    .option('--log-level <level>', 'pino level (default info)')
    .option('--no-watch', 'do not subscribe to AD change notifications')
    .option('--reconcile-seconds <n>', 'least time between two deletion scans of the domain (default 300)')
    .option('--page-size <n>', 'changes per page sent to the cloud (1-500, default 500)')
    .action(async (flags: RunFlags) => {
      const { runAgentCommand } = await import('./service/run-command.js');
      process.exitCode = await runAgentCommand(flags);
    });
  agent
    .command('status')
    .description('Print what is installed and how the last cycle went')
    .option('--state-dir <dir>', 'state directory')
    .option('--json', 'print JSON')
    .action(async (flags: { stateDir?: string; json?: boolean }) => {
      const { runStatusCommand } = await import('./service/run-command.js');
      process.exitCode = await runStatusCommand(flags);
    });
  agent
    .command('writeback')
    .description('Password writeback to AD')
    .command('enable')
    .description('Grant the service account its reset rights in AD and turn writeback on in the cloud')
    .requiredOption(
      '--admin-user <upn>',
      'a Global Administrator of the cloud (password: CLOUDSYNC_ADMIN_PASSWORD)',
    )
    .requiredOption(
      '--domain-admin <upn>',
      'an AD domain administrator (password: CLOUDSYNC_DOMAIN_ADMIN_PASSWORD)',
    )
    .option('--state-dir <dir>', 'state directory')
    .action(async (flags: { adminUser: string; domainAdmin: string; stateDir?: string }) => {
      const { runEnableWritebackCommand } = await import('./writeback/enable-command.js');
      process.exitCode = await runEnableWritebackCommand(flags);
    });
}
