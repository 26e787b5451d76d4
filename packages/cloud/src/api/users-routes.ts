import { z } from 'zod';
import { readOnlyProperty, syncMastered } from '../errors.js';
import { actorOf, assertMayManageUser, USER_ADMINS } from './access.js';
import { type ApiDeps, contextUrl, listCollection } from './api-context.js';
import { USER_PROPERTIES } from './property-maps.js';
import { type AnyRoute, defineRoute, deleteRoute, getRoute } from './route.js';
import { collection, entity, idParams } from './schemas/common.js';
import {
  assignLicenseBody,
  licenseDetailsSchema,
  newUserBody,
  READ_ONLY_USER_PROPERTIES,
  userPatchBody,
  userSchema,
} from './schemas/user.js';

// PATCH names read-only properties so it can answer "read-only" or "managed by on-premises sync"
// instead of "does not exist".
const patchBody = userPatchBody.extend(
  Object.fromEntries([...READ_ONLY_USER_PROPERTIES].map((name) => [name, z.unknown().optional()])),
);

/** `/v1.0/users`: list, create, read, update, delete, licences. */
export function userRoutes(deps: ApiDeps): AnyRoute[] {
  const { directory } = deps;
  return [
    getRoute({
      url: '/v1.0/users',
      roles: USER_ADMINS,
      response: collection(userSchema),
      handler: ({ request }) =>
        listCollection(deps, request, {
          map: USER_PROPERTIES,
          query: directory.users.query(),
          hydrate: directory.users.hydrate,
          context: 'users',
        }),
    }),
    defineRoute({
      method: 'POST',
      url: '/v1.0/users',
      roles: USER_ADMINS,
      params: z.object({}),
      body: newUserBody,
      response: entity(userSchema),
      status: 201,
      handler: async ({ body, principal }) => ({
        '@odata.context': contextUrl(deps, 'users/$entity'),
        ...(await directory.users.create(actorOf(principal), body)),
      }),
    }),
    getRoute({
      url: '/v1.0/users/:id',
      roles: USER_ADMINS,
      params: idParams,
      response: entity(userSchema),
      handler: async ({ params }) => ({
        '@odata.context': contextUrl(deps, 'users/$entity'),
        ...(await directory.users.get(params.id)),
      }),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/v1.0/users/:id',
      roles: USER_ADMINS,
      params: idParams,
      body: patchBody,
      response: undefined,
      handler: async ({ params, body, principal }) => {
        const user = await directory.users.get(params.id);
        await assertMayManageUser(directory, principal, user.id);
        const readOnly = Object.keys(body).find((key) => READ_ONLY_USER_PROPERTIES.has(key));
        if (readOnly) {
          throw user.onPremisesSyncEnabled && readOnly.startsWith('onPremises')
            ? syncMastered(readOnly)
            : readOnlyProperty(readOnly);
        }
        await directory.users.update(actorOf(principal), user.id, userPatchBody.parse(body));
      },
    }),
    deleteRoute({
      url: '/v1.0/users/:id',
      roles: USER_ADMINS,
      handler: async ({ params, principal }) => {
        const user = await directory.users.get(params.id);
        await assertMayManageUser(directory, principal, user.id);
        await directory.deletedUsers.remove(actorOf(principal), user.id);
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1.0/users/:id/assignLicense',
      roles: USER_ADMINS,
      params: idParams,
      body: assignLicenseBody,
      response: entity(userSchema),
      handler: async ({ params, body, principal }) => {
        const user = await directory.users.get(params.id);
        await assertMayManageUser(directory, principal, user.id);
        return {
          '@odata.context': contextUrl(deps, 'users/$entity'),
          ...(await directory.licenses.assign(actorOf(principal), user.id, body)),
        };
      },
    }),
    getRoute({
      url: '/v1.0/users/:id/licenseDetails',
      roles: USER_ADMINS,
      params: idParams,
      response: collection(licenseDetailsSchema),
      handler: async ({ params }) => ({
        '@odata.context': contextUrl(deps, `users('${params.id}')/licenseDetails`),
        value: await directory.licenses.licenseDetails(params.id),
      }),
    }),
  ];
}
