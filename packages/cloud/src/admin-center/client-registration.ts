import type { Kysely } from 'kysely';
import type { AppRegistrations } from '../sign-in/app-registrations.js';
import type { SignInDatabase } from '../sign-in/schema.js';

/** Client id of the admin center: a first-party public client (authorization code + PKCE). */
export const ADMIN_CENTER_CLIENT_ID = 'cloudsync-admin-center';

/** Where the admin center is served, and where the provider sends the browser back after sign-in. */
export const ADMIN_CENTER_PATH = '/admin';

/** The redirect and post-logout URIs of the admin center under a public URL. */
export function adminCenterUris(publicUrl: string) {
  const base = `${publicUrl.replace(/\/$/, '')}${ADMIN_CENTER_PATH}`;
  return { redirectUri: `${base}/callback`, postLogoutRedirectUri: `${base}/` };
}

/**
 * Registers the admin center as an app of the tenant the first time the cloud starts on a store,
 * and keeps its redirect URIs on the current public URL afterwards (the URL may change between starts).
 * @example
 *   await ensureAdminCenterClient({ apps: auth.apps, db, publicUrl: config.publicUrl });
 */
export async function ensureAdminCenterClient(deps: {
  apps: AppRegistrations;
  db: Kysely<SignInDatabase>;
  publicUrl: string;
}): Promise<{ clientId: string; redirectUri: string; postLogoutRedirectUri: string }> {
  const uris = adminCenterUris(deps.publicUrl);
  const existing = await deps.apps.find(ADMIN_CENTER_CLIENT_ID);
  if (!existing) {
    await deps.apps.create({
      clientId: ADMIN_CENTER_CLIENT_ID,
      displayName: 'cloudsync admin center',
      credential: { type: 'public' },
      grantTypes: ['authorization_code'],
      redirectUris: [uris.redirectUri],
      postLogoutRedirectUris: [uris.postLogoutRedirectUri],
      firstParty: true,
    });
  } else if (existing.redirectUris.join() !== uris.redirectUri) {
    // AppRegistrations has no update: the public URL is the one thing that moves, so it is set here.
    await deps.db
      .updateTable('app_registrations')
      .set({
        redirect_uris: JSON.stringify([uris.redirectUri]),
        post_logout_redirect_uris: JSON.stringify([uris.postLogoutRedirectUri]),
      })
      .where('client_id', '=', ADMIN_CENTER_CLIENT_ID)
      .execute();
  }
  return { clientId: ADMIN_CENTER_CLIENT_ID, ...uris };
}
