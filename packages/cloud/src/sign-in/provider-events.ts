import type { FastifyBaseLogger } from 'fastify';
import type Provider from 'oidc-provider';

/**
 * Logs what the provider reports. Only error codes and descriptions: never parameters, which can
 * hold passwords (the password grant) or codes.
 */
export function listenToProvider(provider: Provider, log: FastifyBaseLogger): void {
  provider.on('server_error', (_ctx, err) => log.error({ err }, 'oidc-provider server error'));
  const refused = (event: string) => (_ctx: unknown, err: Error) =>
    log.info({ event, error: err.message, description: errorDescription(err) }, 'oidc request refused');
  provider.on('grant.error', refused('grant.error'));
  provider.on('authorization.error', refused('authorization.error'));
  provider.on('end_session.error', refused('end_session.error'));
  provider.on('userinfo.error', refused('userinfo.error'));
}

function errorDescription(err: Error): string | undefined {
  return 'error_description' in err && typeof err.error_description === 'string'
    ? err.error_description
    : undefined;
}
