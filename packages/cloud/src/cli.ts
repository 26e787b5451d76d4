import type { Command } from 'commander';

/** Declares `cloudsync cloud ...`. Implementations are imported inside each action. */
export function registerCloudCommands(program: Command): void {
  program.command('cloud').description('Run and administer the cloud service');
}
