import type { Command } from 'commander';

/** Declares `cloudsync cloud ...`. Implementations are imported inside each action. */
export function registerCloudCommands(program: Command): void {
  const cloud = program.command('cloud').description('Run and administer the cloud service');

  cloud
    .command('serve')
    .description('Start the cloud service (admin API, sign-in). Uses PostgreSQL when DATABASE_URL is set.')
    .option('--data <dir>', 'data directory (SQLite file, local state); env CLOUDSYNC_DATA_DIR', undefined)
    .option('--host <host>', 'interface to listen on; env CLOUDSYNC_HOST (default 127.0.0.1)')
    .option('--port <port>', 'TCP port; env CLOUDSYNC_PORT (default 8443)')
    .option('--tls-cert <file>', 'PEM certificate chain for HTTPS; env CLOUDSYNC_TLS_CERT')
    .option('--tls-key <file>', 'PEM private key for HTTPS; env CLOUDSYNC_TLS_KEY')
    .option('--public-url <url>', 'URL clients use to reach the service; env CLOUDSYNC_PUBLIC_URL')
    .option('--log-level <level>', 'fatal|error|warn|info|debug|trace|silent; env CLOUDSYNC_LOG_LEVEL')
    .action(async (opts: Record<string, string | undefined>) => {
      (await import('./admin-center/ui-build.js')).ensureAdminUiBuilt((line) => console.error(line));
      const { runServe } = await import('./server.js');
      await runServe(opts);
    });

  cloud
    .command('init')
    .description('Create the tenant, its initial domain, the Global Administrator and the licence catalogue')
    .requiredOption('--tenant <name>', 'tenant name, one DNS label (e.g. contoso)')
    .option(
      '--domain-suffix <suffix>',
      'initial domain suffix; env CLOUDSYNC_DOMAIN_SUFFIX (default cloudsync.test)',
    )
    .option(
      '--admin-password <password>',
      'admin password (else env CLOUDSYNC_ADMIN_PASSWORD, else generated)',
    )
    .option('--data <dir>', 'data directory; env CLOUDSYNC_DATA_DIR')
    .action(
      async (opts: { tenant: string; domainSuffix?: string; adminPassword?: string; data?: string }) => {
        const { runInit } = await import('./tenant/init-command.js');
        process.exitCode = await runInit(opts);
      },
    );
}
