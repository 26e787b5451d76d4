import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Kysely } from 'kysely';
import { type AccessControl, registerRoutes } from '../api/route.js';
import type { Auth } from '../auth/create-auth.js';
import { GRAPH_RESOURCE } from '../sign-in/resources.js';
import type { SignInTables } from '../sign-in/schema.js';
import type { Database } from '../store/schema.js';
import type { SyncIngestTables } from '../sync-ingest/schema.js';
import { adminCenterRoutes } from './admin-routes.js';
import { ADMIN_CENTER_PATH, ensureAdminCenterClient } from './client-registration.js';
import { ADMIN_UI_DIST, BUILD_COMMAND, isAdminUiBuilt } from './ui-build.js';

export { ADMIN_CENTER_CLIENT_ID, adminCenterUris } from './client-registration.js';
export { ensureAdminUiBuilt } from './ui-build.js';

/** What the browser app reads first (`/admin/config.json`): where to sign in, as which client. */
export interface AdminCenterConfig {
  issuer: string;
  clientId: string;
  redirectUri: string;
  postLogoutRedirectUri: string;
  resource: string;
}

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

function notBuilt(reply: FastifyReply) {
  return reply
    .code(503)
    .type('text/plain; charset=utf-8')
    .send(
      `The admin center is not built. Run \`${BUILD_COMMAND}\` in the repository, then reload this page.\n` +
        '(`npm test` and `cloudsync cloud serve` build it when it is missing.)\n',
    );
}

/**
 * Serves the admin center (the React app of `packages/admin-ui`) at `/admin`, registers it as a
 * first-party OAuth client of the tenant, and mounts the few routes it needs beside the Graph API.
 * @example
 *   await mountAdminCenter(app, { auth, db: store.db, publicUrl: config.publicUrl });
 */
export async function mountAdminCenter(
  app: FastifyInstance,
  deps: {
    auth: Pick<Auth, 'apps' | 'issuer'> & AccessControl;
    db: Kysely<Database>;
    publicUrl: string;
    /** The built app; `packages/admin-ui/dist` by default. */
    distDir?: string;
  },
): Promise<void> {
  const distDir = deps.distDir ?? ADMIN_UI_DIST;
  const client = await ensureAdminCenterClient({
    apps: deps.auth.apps,
    db: deps.db.withTables<SignInTables>(),
    publicUrl: deps.publicUrl,
  });
  const config: AdminCenterConfig = { issuer: deps.auth.issuer, resource: GRAPH_RESOURCE, ...client };
  registerRoutes(
    app,
    deps.auth,
    adminCenterRoutes({ db: deps.db.withTables<SyncIngestTables>(), publicUrl: deps.publicUrl }),
  );

  await app.register(async (scope) => {
    scope.addHook('onSend', async (_request, reply) => {
      reply.header('content-security-policy', CSP);
      reply.header('x-content-type-options', 'nosniff');
      reply.header('referrer-policy', 'no-referrer');
    });
    scope.get(`${ADMIN_CENTER_PATH}/config.json`, async (_request, reply) =>
      reply.header('cache-control', 'no-store').send(config),
    );
    // Every page of the app is index.html (the app routes by the URL's hash; /callback ends sign-in).
    const page = async (_request: unknown, reply: FastifyReply) => {
      if (!isAdminUiBuilt(distDir)) return notBuilt(reply);
      const html = await readFile(join(distDir, 'index.html'), 'utf8');
      return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(html);
    };
    scope.get(ADMIN_CENTER_PATH, (_request, reply) => reply.redirect(`${ADMIN_CENTER_PATH}/`));
    scope.get(`${ADMIN_CENTER_PATH}/`, page);
    scope.get(`${ADMIN_CENTER_PATH}/callback`, page);
    await scope.register(fastifyStatic, {
      root: join(distDir, 'assets'),
      prefix: `${ADMIN_CENTER_PATH}/assets/`,
      // Vite names assets by their content hash: they never change under a name.
      immutable: true,
      maxAge: '365d',
    });
  });
}
