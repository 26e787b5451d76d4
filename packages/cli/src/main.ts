import { Command } from 'commander';

/** Builds the `cloudsync` command tree. Each capability registers its own subcommands. */
export function buildProgram(): Command {
  const program = new Command('cloudsync')
    .description('Hybrid identity: a cloud directory kept in step with Active Directory')
    .version('0.1.0');
  return program;
}

/** Entry point of the `cloudsync` binary. */
export async function main(argv: string[]): Promise<void> {
  await buildProgram().parseAsync(argv);
}
