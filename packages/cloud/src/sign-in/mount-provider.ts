import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type Provider from 'oidc-provider';

/** Where the provider's endpoints live under the cloud's public URL; the issuer ends with it. */
export const OIDC_MOUNT_PATH = '/oauth2';

/**
 * Hands every request under `/oauth2/` to oidc-provider (a Koa app) untouched. The routes live in
 * their own plugin scope without body parsers, so the provider reads the request body itself.
 */
export async function mountProvider(app: FastifyInstance, provider: Provider): Promise<void> {
  const callback = provider.callback();
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, _payload, done) => done(null, undefined));
    scope.all(`${OIDC_MOUNT_PATH}/*`, async (req, reply) => {
      reply.hijack();
      const raw: IncomingMessage & { originalUrl?: string } = req.raw;
      // Like Express's mounting: oidc-provider routes on the path below the mount point and finds
      // the mount point again from `originalUrl` when it builds its own URLs.
      const url = raw.url ?? '/';
      raw.originalUrl = url;
      raw.url = url.slice(OIDC_MOUNT_PATH.length) || '/';
      await callback(raw, reply.raw);
    });
  });
}
