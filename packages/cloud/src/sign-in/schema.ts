/**
 * Row types of the tables sign-in owns (migration `0002-sign-in`). Same conventions as the directory:
 * booleans as 0/1 integers, timestamps as ISO-8601 UTC text, JSON values as text.
 */
import type { ColumnType } from 'kysely';
import type { Database, Flag } from '../store/schema.js';

/** Epoch seconds: a bigint column, which PostgreSQL returns as a string. */
type EpochSeconds = ColumnType<number | string | null, number | null, number | null>;

/** A private key (JWK) the provider signs with, or a secret it keys its cookies with. */
export interface SignInKeysTable {
  kid: string;
  /** `signing`: a private JWK as JSON. `cookie`: a random secret, base64url. */
  purpose: 'signing' | 'cookie';
  material: string;
  created_at: string;
}

/** An OAuth client: a third-party or first-party app, or an agent. */
export interface AppRegistrationsTable {
  client_id: string;
  display_name: string;
  /** Self-describing hash of the client secret (never the secret); null for public and key-based clients. */
  client_secret_hash: string | null;
  token_endpoint_auth_method: 'none' | 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt';
  /** JSON arrays of strings. */
  grant_types: string;
  redirect_uris: string;
  post_logout_redirect_uris: string;
  /** JSON `{ "keys": [...] }` of public keys, for `private_key_jwt`; null otherwise. */
  jwks: string | null;
  /** First-party apps skip the consent page. */
  first_party: Flag;
  account_enabled: Flag;
  created_at: string;
}

/** oidc-provider's models (sessions, grants, codes, interactions, refresh tokens...), one row each. */
export interface OidcModelsTable {
  model: string;
  id: string;
  /** The model's payload as JSON. */
  payload: string;
  grant_id: string | null;
  user_code: string | null;
  uid: string | null;
  /** Seconds since the epoch; null when the model does not expire. */
  expires_at: EpochSeconds;
  consumed_at: EpochSeconds;
}

/** The tables of sign-in, to combine with the directory's `Database`. */
export type SignInTables = {
  sign_in_keys: SignInKeysTable;
  app_registrations: AppRegistrationsTable;
  oidc_models: OidcModelsTable;
};

/** The store as sign-in sees it: the directory's tables and its own. */
export type SignInDatabase = Database & SignInTables;
