import { z } from 'zod';
import type { AdminRole } from '../../directory/roles/role-directory.js';
import { guid } from './common.js';

/** Microsoft Entra's role template ids, so Graph scripts name roles the same way here. */
export const ROLE_TEMPLATE_IDS: Readonly<Record<AdminRole, string>> = {
  GlobalAdministrator: '62e90394-69f5-4237-9190-012177145e10',
  UserAdministrator: 'fe930be7-5e62-47db-91af-98c3a49a38b1',
};

export function roleOfTemplate(id: string): AdminRole | undefined {
  const lower = id.toLowerCase();
  return (Object.keys(ROLE_TEMPLATE_IDS) as AdminRole[]).find((role) => ROLE_TEMPLATE_IDS[role] === lower); // keys of a Record<AdminRole, …>
}

/** Graph's `unifiedRoleAssignment`. */
export const roleAssignmentSchema = z.object({
  id: z.string(),
  principalId: z.string(),
  roleDefinitionId: z.string(),
  directoryScopeId: z.string(),
});

export const newRoleAssignmentBody = z
  .object({ principalId: guid, roleDefinitionId: guid, directoryScopeId: z.literal('/').optional() })
  .strict();
