import type { Command } from 'commander';

/** Declares `cloudsync login`, which gets the CLI a token from the cloud. */
export function registerLoginCommand(program: Command): void {
  program
    .command('login')
    .description('Sign in to the cloud and keep a token for later commands')
    .requiredOption(
      '--cloud <url>',
      "the cloud's public URL, e.g. https://cloud.example.com",
      process.env.CLOUDSYNC_CLOUD_URL,
    )
    .option('--username <upn>', 'sign in unattended as this user (with --password-stdin)')
    .option('--password-stdin', 'read the password from stdin (for scripts, the agent wizard and the lab)')
    .addHelpText(
      'after',
      '\nWithout --username, prints a URL and a code: open the URL in any browser and sign in there.\n' +
        'The token is saved to ~/.cloudsync/credentials.json, readable by you only.',
    )
    .action(async (options: { cloud: string; username?: string; passwordStdin?: boolean }) => {
      const { runLogin, processIo } = await import('./login-command.js');
      const { LoginError } = await import('./login-client.js');
      try {
        await runLogin(options, processIo());
      } catch (err) {
        if (!(err instanceof LoginError)) throw err;
        process.stderr.write(`cloudsync login: ${err.message}\n`);
        process.exitCode = 1;
      }
    });
}
