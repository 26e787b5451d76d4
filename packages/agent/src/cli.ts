import type { Command } from 'commander';

/** Declares `cloudsync agent ...`. Implementations are imported inside each action. */
export function registerAgentCommands(program: Command): void {
  program.command('agent').description('Install and run the on-premises agent');
}
