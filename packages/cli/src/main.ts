import { registerAgentCommands } from '@cloudsync/agent/cli';
import { registerCloudCommands } from '@cloudsync/cloud/cli';
import { registerDemoCommands } from '@cloudsync/demo-mail/cli';
import { registerLabCommand } from '@cloudsync/lab/cli';
import { Command } from 'commander';
import { registerLoginCommand } from './login.js';

/**
 * Builds the `cloudsync` command tree. Each capability registers its own subcommands from a
 * `cli.ts` that only declares them and imports the implementation inside the action, so
 * `cloudsync --help` stays fast and the agent never loads the cloud's dependencies.
 */
export function buildProgram(): Command {
  const program = new Command('cloudsync')
    .description('Hybrid identity: a cloud directory kept in step with Active Directory')
    .version('0.1.0');
  registerCloudCommands(program);
  registerAgentCommands(program);
  registerLoginCommand(program);
  registerLabCommand(program);
  registerDemoCommands(program);
  return program;
}

/** Entry point of the `cloudsync` binary. */
export async function main(argv: string[]): Promise<void> {
  await buildProgram().parseAsync(argv);
}
