import type { Command } from 'commander';

/** Declares `cloudsync login`, which gets the CLI a token from the cloud. */
export function registerLoginCommand(program: Command): void {
  program.command('login').description('Sign in to the cloud and keep a token for later commands');
}
