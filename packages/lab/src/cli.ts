import type { Command } from 'commander';

/** Declares `cloudsync lab`. The implementation is imported inside the action. */
export function registerLabCommand(program: Command): void {
  program
    .command('lab')
    .description(
      'The whole scenario on this machine: a Samba AD DC, the cloud, the agent, a first sync, Bobby Smith signing in',
    )
    .option('--dir <dir>', 'folder that holds everything the lab builds', '.lab')
    .option('--ip <ip>', 'loopback address of the DC and the cloud', '127.0.0.11')
    .option('--tenant <name>', 'tenant name (initial domain <name>.cloudsync.test)', 'contoso')
    .option('--down', 'remove everything the lab built (its folder); stop a running lab with Ctrl-C first')
    .action(async (opts: { dir: string; ip: string; tenant: string; down?: boolean }) => {
      const { runLabCommand } = await import('./lab-command.js');
      process.exitCode = await runLabCommand(opts);
    });
}
