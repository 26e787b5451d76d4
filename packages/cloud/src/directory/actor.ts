import type { Principal } from '../auth/principal.js';

/** Who performs a directory write: a signed-in principal, or the service itself (init, purge, ingest). */
export type Actor = Pick<Principal, 'kind' | 'id' | 'userPrincipalName'> | SystemActor;

export interface SystemActor {
  kind: 'system';
  id: string;
  userPrincipalName?: undefined;
}

/** The service acting on its own behalf (tenant init, scheduled purge). */
export const SYSTEM_ACTOR: SystemActor = { kind: 'system', id: 'cloudsync' };
