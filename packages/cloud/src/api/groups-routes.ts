import { z } from 'zod';
import { toDirectoryGroup } from '../directory/groups/group-model.js';
import { toGroupMember } from '../directory/groups/membership.js';
import { badRequest } from '../errors.js';
import { actorOf, USER_ADMINS } from './access.js';
import { type ApiDeps, contextUrl, listCollection } from './api-context.js';
import { GROUP_PROPERTIES, MEMBER_PROPERTIES } from './property-maps.js';
import { type AnyRoute, defineRoute, deleteRoute, getRoute } from './route.js';
import { collection, entity, idParams } from './schemas/common.js';
import {
  groupPatchBody,
  groupSchema,
  memberRefBody,
  memberSchema,
  newGroupBody,
} from './schemas/directory-objects.js';

const GUID = /^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/i;

/** The object id at the end of an `@odata.id` (`https://…/v1.0/directoryObjects/{id}` or `…/users('{id}')`). */
export function idFromODataId(ref: string): string {
  const m = /([0-9a-fA-F-]{36})'?\)?\/?$/.exec(ref.trim());
  if (!m?.[1] || !GUID.test(m[1])) {
    throw badRequest(`Invalid object identifier in '@odata.id': '${ref}'.`, '@odata.id');
  }
  return m[1].toLowerCase();
}

/** `/v1.0/groups` and their members. */
export function groupRoutes(deps: ApiDeps): AnyRoute[] {
  const { directory } = deps;
  const groups = directory.groups;
  const memberParams = z.object({ id: z.string().min(1).max(64), memberId: z.string().min(1).max(64) });
  return [
    getRoute({
      url: '/v1.0/groups',
      roles: USER_ADMINS,
      response: collection(groupSchema),
      handler: ({ request }) =>
        listCollection(deps, request, {
          map: GROUP_PROPERTIES,
          query: groups.query(),
          hydrate: (rows) => rows.map(toDirectoryGroup),
          context: 'groups',
        }),
    }),
    defineRoute({
      method: 'POST',
      url: '/v1.0/groups',
      roles: USER_ADMINS,
      params: z.object({}),
      body: newGroupBody,
      response: entity(groupSchema),
      status: 201,
      handler: async ({ body, principal }) => ({
        '@odata.context': contextUrl(deps, 'groups/$entity'),
        ...(await groups.create(actorOf(principal), body)),
      }),
    }),
    getRoute({
      url: '/v1.0/groups/:id',
      roles: USER_ADMINS,
      params: idParams,
      response: entity(groupSchema),
      handler: async ({ params }) => ({
        '@odata.context': contextUrl(deps, 'groups/$entity'),
        ...(await groups.get(params.id)),
      }),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/v1.0/groups/:id',
      roles: USER_ADMINS,
      params: idParams,
      body: groupPatchBody,
      response: undefined,
      handler: async ({ params, body, principal }) => {
        await groups.update(actorOf(principal), params.id, body);
      },
    }),
    deleteRoute({
      url: '/v1.0/groups/:id',
      roles: USER_ADMINS,
      handler: async ({ params, principal }) => {
        await groups.remove(actorOf(principal), params.id);
      },
    }),
    getRoute({
      url: '/v1.0/groups/:id/members',
      roles: USER_ADMINS,
      params: idParams,
      response: collection(memberSchema),
      handler: async ({ params, request }) =>
        listCollection(deps, request, {
          map: MEMBER_PROPERTIES,
          query: await groups.members(params.id),
          hydrate: (rows) => rows.map(toGroupMember),
          context: 'directoryObjects',
        }),
    }),
    defineRoute({
      method: 'POST',
      url: '/v1.0/groups/:id/members/$ref',
      roles: USER_ADMINS,
      params: idParams,
      body: memberRefBody,
      response: undefined,
      handler: async ({ params, body, principal }) => {
        await groups.addMember(actorOf(principal), params.id, idFromODataId(body['@odata.id']));
      },
    }),
    deleteRoute({
      url: '/v1.0/groups/:id/members/:memberId/$ref',
      roles: USER_ADMINS,
      params: memberParams,
      handler: async ({ params, principal }) => {
        await groups.removeMember(actorOf(principal), params.id, params.memberId);
      },
    }),
  ];
}
