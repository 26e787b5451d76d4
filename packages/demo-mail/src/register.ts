import {
  type CloudConfig,
  createAppRegistrations,
  loadConfig,
  openStore,
  type SignInTables,
} from '@cloudsync/cloud';

/**
 * Registers the Mail demo in the cloud's store as a first-party public client (code + PKCE, no
 * consent page), for the redirect URI the demo will serve. Returns its client id.
 */
export async function registerMailApp(options: { demoUrl: string; config?: CloudConfig }): Promise<string> {
  const config = options.config ?? loadConfig();
  const store = await openStore(
    config.databaseUrl ? { databaseUrl: config.databaseUrl } : { sqliteFile: config.sqliteFile },
  );
  try {
    const apps = createAppRegistrations(store.db.withTables<SignInTables>());
    const created = await apps.create({
      displayName: 'Mail',
      credential: { type: 'public' },
      grantTypes: ['authorization_code'],
      redirectUris: [`${options.demoUrl}/callback`],
      postLogoutRedirectUris: [`${options.demoUrl}/`],
      firstParty: true,
    });
    return created.clientId;
  } finally {
    await store.close();
  }
}
