import type { ClientMetadata } from 'oidc-provider';

/** Client id of the cloudsync command line (first party, public, device flow and password grant). */
export const CLI_CLIENT_ID = 'cloudsync-cli';

/** The password grant's `grant_type`; only `cloudsync-cli` may use it (see docs/decisions.md). */
export const PASSWORD_GRANT_TYPE = 'password';

export const DEVICE_CODE_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:device_code';

/** Extra client metadata cloudsync adds: first-party clients skip the consent page. */
export const FIRST_PARTY = 'first_party';

/** The clients built into every tenant, which no admin registers. */
export function builtInClients(): ClientMetadata[] {
  return [
    {
      client_id: CLI_CLIENT_ID,
      client_name: 'cloudsync command line',
      token_endpoint_auth_method: 'none',
      grant_types: [DEVICE_CODE_GRANT_TYPE, 'refresh_token', PASSWORD_GRANT_TYPE],
      response_types: [],
      redirect_uris: [],
      [FIRST_PARTY]: true,
    },
  ];
}
