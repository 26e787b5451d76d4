import type { Command } from 'commander';

/**
 * Declares `cloudsync demo mail`; the implementation loads inside the action.
 * @example cloudsync demo mail --cloud http://127.0.0.1:8443 --port 8601
 */
export function registerDemoCommands(program: Command): void {
  const demo = program.command('demo').description('Demo apps that sign in with the cloud');
  demo
    .command('mail')
    .description(
      'Run the Mail demo app: signs in with the cloud (code + PKCE) and shows an inbox to licensed users',
    )
    .requiredOption('--cloud <url>', 'the cloud’s public URL')
    .option('--port <port>', 'port of the demo (loopback)', '8601')
    .option(
      '--client-id <id>',
      'an existing registration; otherwise the demo registers itself in the local cloud store',
    )
    .action(async (opts: { cloud: string; port: string; clientId?: string }) => {
      const { runMailDemo } = await import('./run.js');
      await runMailDemo({
        cloudUrl: opts.cloud,
        port: Number(opts.port),
        ...(opts.clientId ? { clientId: opts.clientId } : {}),
      });
    });
}
