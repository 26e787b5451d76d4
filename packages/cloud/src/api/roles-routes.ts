import { z } from 'zod';
import type { RoleAssignment } from '../directory/roles/role-directory.js';
import { badRequest } from '../errors.js';
import { actorOf, GLOBAL_ADMIN } from './access.js';
import { type ApiDeps, contextUrl } from './api-context.js';
import { type AnyRoute, defineRoute, deleteRoute, getRoute } from './route.js';
import { collection, entity } from './schemas/common.js';
import {
  newRoleAssignmentBody,
  ROLE_TEMPLATE_IDS,
  roleAssignmentSchema,
  roleOfTemplate,
} from './schemas/role-assignment.js';

const PATH = '/v1.0/roleManagement/directory/roleAssignments';

function toGraph(a: RoleAssignment) {
  return {
    id: a.id,
    principalId: a.principalId,
    roleDefinitionId: ROLE_TEMPLATE_IDS[a.role],
    directoryScopeId: '/',
  };
}

/** `/v1.0/roleManagement/directory/roleAssignments`: admin roles, Global Administrators only. */
export function roleRoutes(deps: ApiDeps): AnyRoute[] {
  const { directory } = deps;
  return [
    getRoute({
      url: PATH,
      roles: GLOBAL_ADMIN,
      response: collection(roleAssignmentSchema),
      handler: async () => ({
        '@odata.context': contextUrl(deps, 'roleManagement/directory/roleAssignments'),
        value: (await directory.roles.listAssignments()).map(toGraph),
      }),
    }),
    defineRoute({
      method: 'POST',
      url: PATH,
      roles: GLOBAL_ADMIN,
      params: z.object({}),
      body: newRoleAssignmentBody,
      response: entity(roleAssignmentSchema),
      status: 201,
      handler: async ({ body, principal }) => {
        const role = roleOfTemplate(body.roleDefinitionId);
        if (!role)
          throw badRequest(
            `Role definition '${body.roleDefinitionId}' is not assignable here.`,
            'roleDefinitionId',
          );
        const user = await directory.users.get(body.principalId);
        await directory.roles.assign(actorOf(principal), user.id, role);
        return {
          '@odata.context': contextUrl(deps, 'roleManagement/directory/roleAssignments/$entity'),
          ...toGraph(await directory.roles.findAssignment(user.id, role)),
        };
      },
    }),
    deleteRoute({
      url: `${PATH}/:id`,
      roles: GLOBAL_ADMIN,
      handler: async ({ params, principal }) => {
        await directory.roles.removeAssignment(actorOf(principal), params.id);
      },
    }),
  ];
}
