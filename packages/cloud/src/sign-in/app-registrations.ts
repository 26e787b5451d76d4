import { randomUUID } from 'node:crypto';
import type { JWK } from 'jose';
import type { Kysely } from 'kysely';
import type { AdapterPayload } from 'oidc-provider';
import { isSet } from '../store/schema.js';
import { generateClientSecret, hashClientSecret } from './client-secret.js';
import { builtInClients, DEVICE_CODE_GRANT_TYPE, FIRST_PARTY } from './clients.js';
import type { AppRegistrationsTable, SignInDatabase } from './schema.js';

/** How an app proves who it is at the token endpoint. */
export type AppCredential =
  /** A browser or native app that cannot keep a secret: authorization code + PKCE only. */
  | { type: 'public' }
  /** A server-side app: the cloud generates a secret and keeps only its hash. */
  | { type: 'secret' }
  /** An app (or agent) with its own key pair: `private_key_jwt` against these public keys. */
  | { type: 'private_key_jwt'; jwks: { keys: JWK[] } };

export interface NewAppRegistration {
  displayName: string;
  credential: AppCredential;
  /** OAuth grant types, e.g. `authorization_code`, `refresh_token`, `client_credentials`. */
  grantTypes: string[];
  redirectUris?: string[];
  postLogoutRedirectUris?: string[];
  /** First-party apps (the admin center, the Mail demo) skip the consent page. */
  firstParty?: boolean;
  /** Fixed client id (built-in apps); a random UUID otherwise. */
  clientId?: string;
}

/** A registered app as callers see it: never its secret nor the secret's hash. */
export interface AppRegistration {
  clientId: string;
  displayName: string;
  tokenEndpointAuthMethod: AppRegistrationsTable['token_endpoint_auth_method'];
  grantTypes: string[];
  redirectUris: string[];
  firstParty: boolean;
  accountEnabled: boolean;
}

export interface AppRegistrations {
  /** Registers an app; `clientSecret` is returned this once only, when the credential is a secret. */
  create(input: NewAppRegistration): Promise<{ clientId: string; clientSecret?: string }>;
  find(clientId: string): Promise<AppRegistration | undefined>;
  setEnabled(clientId: string, enabled: boolean): Promise<void>;
  /** oidc-provider client metadata of an enabled app (or a built-in client); undefined otherwise. */
  clientMetadata(clientId: string): Promise<AdapterPayload | undefined>;
}

const json = (text: string): string[] => {
  const value: unknown = JSON.parse(text);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
};

/** Grants an app registration may hold; the password grant stays with `cloudsync-cli` alone. */
export const APP_GRANT_TYPES: readonly string[] = [
  'authorization_code',
  'refresh_token',
  'client_credentials',
  DEVICE_CODE_GRANT_TYPE,
];

const authMethod = (c: AppCredential): AppRegistrationsTable['token_endpoint_auth_method'] =>
  c.type === 'public' ? 'none' : c.type === 'secret' ? 'client_secret_basic' : 'private_key_jwt';

/**
 * App registrations: the OAuth clients of the tenant, stored in `app_registrations`.
 * @example
 *   const apps = createAppRegistrations(db);
 *   const { clientId, clientSecret } = await apps.create({
 *     displayName: 'HR import', credential: { type: 'secret' }, grantTypes: ['client_credentials'],
 *   });
 */
export function createAppRegistrations(db: Kysely<SignInDatabase>): AppRegistrations {
  const builtIn = new Map(builtInClients().map((c) => [c.client_id, c]));
  const row = (clientId: string) =>
    db.selectFrom('app_registrations').selectAll().where('client_id', '=', clientId).executeTakeFirst();

  return {
    async create(input) {
      const unknown = input.grantTypes.filter((g) => !APP_GRANT_TYPES.includes(g));
      if (unknown.length > 0)
        throw new Error(`an app registration cannot use the grant ${unknown.join(', ')}`);
      if (input.credential.type === 'public' && input.grantTypes.includes('client_credentials')) {
        throw new Error('client credentials need a secret or a key: a public app cannot keep one');
      }
      const clientId = input.clientId ?? randomUUID();
      const clientSecret = input.credential.type === 'secret' ? generateClientSecret() : undefined;
      await db
        .insertInto('app_registrations')
        .values({
          client_id: clientId,
          display_name: input.displayName,
          client_secret_hash: clientSecret ? hashClientSecret(clientSecret) : null,
          token_endpoint_auth_method: authMethod(input.credential),
          grant_types: JSON.stringify(input.grantTypes),
          redirect_uris: JSON.stringify(input.redirectUris ?? []),
          post_logout_redirect_uris: JSON.stringify(input.postLogoutRedirectUris ?? []),
          jwks: input.credential.type === 'private_key_jwt' ? JSON.stringify(input.credential.jwks) : null,
          first_party: input.firstParty ? 1 : 0,
          account_enabled: 1,
          created_at: new Date().toISOString(),
        })
        .execute();
      return clientSecret ? { clientId, clientSecret } : { clientId };
    },
    async find(clientId) {
      const r = await row(clientId);
      return (
        r && {
          clientId: r.client_id,
          displayName: r.display_name,
          tokenEndpointAuthMethod: r.token_endpoint_auth_method,
          grantTypes: json(r.grant_types),
          redirectUris: json(r.redirect_uris),
          firstParty: isSet(r.first_party),
          accountEnabled: isSet(r.account_enabled),
        }
      );
    },
    async setEnabled(clientId, enabled) {
      await db
        .updateTable('app_registrations')
        .set({ account_enabled: enabled ? 1 : 0 })
        .where('client_id', '=', clientId)
        .execute();
    },
    async clientMetadata(clientId) {
      const fixed = builtIn.get(clientId);
      if (fixed) return fixed;
      const r = await row(clientId);
      if (r?.account_enabled !== 1) return undefined;
      return toMetadata(r);
    },
  };
}

function toMetadata(r: AppRegistrationsTable): AdapterPayload {
  const grantTypes = json(r.grant_types);
  const metadata: AdapterPayload = {
    client_id: r.client_id,
    client_name: r.display_name,
    token_endpoint_auth_method: r.token_endpoint_auth_method,
    grant_types: grantTypes,
    response_types: grantTypes.includes('authorization_code') ? ['code'] : [],
    redirect_uris: json(r.redirect_uris),
    post_logout_redirect_uris: json(r.post_logout_redirect_uris),
    [FIRST_PARTY]: isSet(r.first_party),
  };
  // The provider compares presented secrets with this hash (see compareClientSecret in provider.ts).
  if (r.client_secret_hash) metadata.client_secret = r.client_secret_hash;
  if (r.jwks) metadata.jwks = JSON.parse(r.jwks);
  return metadata;
}
