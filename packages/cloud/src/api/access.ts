import type { Principal, Role } from '../auth/principal.js';
import type { Actor } from '../directory/actor.js';
import type { Directory } from '../directory/index.js';
import { forbidden } from '../errors.js';

/** Global Administrators: everything. */
export const GLOBAL_ADMIN: readonly Role[] = ['GlobalAdministrator'];
/** Users, groups, contacts and licences: Global or User Administrators. */
export const USER_ADMINS: readonly Role[] = ['GlobalAdministrator', 'UserAdministrator'];
/** Any signed-in principal. */
export const EVERYONE: readonly Role[] = ['GlobalAdministrator', 'UserAdministrator', 'User'];

/** The audit actor of a request. */
export function actorOf(principal: Principal): Actor {
  return principal.userPrincipalName
    ? { kind: principal.kind, id: principal.id, userPrincipalName: principal.userPrincipalName }
    : { kind: principal.kind, id: principal.id };
}

/** A User Administrator may not manage a Global Administrator (as in Entra); 403 otherwise. */
export async function assertMayManageUser(
  directory: Directory,
  principal: Principal,
  userId: string,
): Promise<void> {
  if (principal.roles.includes('GlobalAdministrator')) return;
  const roles = await directory.roles.rolesOf(userId);
  if (roles.includes('GlobalAdministrator')) throw forbidden();
}
