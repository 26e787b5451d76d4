import { toDirectoryAudit } from '../directory/audit-log.js';
import { badRequest, notFound } from '../errors.js';
import { actorOf, assertMayManageUser, EVERYONE, GLOBAL_ADMIN, USER_ADMINS } from './access.js';
import { type ApiDeps, contextUrl, listCollection } from './api-context.js';
import { definePropertyMap } from './odata/index.js';
import { USER_PROPERTIES } from './property-maps.js';
import { type AnyRoute, defineRoute, deleteRoute, getRoute } from './route.js';
import { collection, entity, idParams, noBody } from './schemas/common.js';
import {
  directoryAuditSchema,
  organizationSchema,
  subscribedSkuSchema,
} from './schemas/directory-objects.js';
import { userSchema } from './schemas/user.js';

const AUDIT_PROPERTIES = definePropertyMap({
  resource: 'directoryAudit',
  key: 'directory_audits.id',
  properties: {
    id: { column: 'directory_audits.id', type: 'guid', filterable: true },
    activityDateTime: {
      column: 'directory_audits.activity_date_time',
      type: 'datetime',
      filterable: true,
      sortable: true,
    },
    activityDisplayName: {
      column: 'directory_audits.activity_display_name',
      type: 'string',
      filterable: true,
    },
    category: { column: 'directory_audits.category', type: 'string', filterable: true },
    operationType: { column: 'directory_audits.operation_type', type: 'string', filterable: true },
    result: { column: 'directory_audits.result', type: 'string', filterable: true },
    loggedByService: { column: 'directory_audits.category', type: 'string' },
  },
});

/** `/me`, `/organization`, `/subscribedSkus`, `/auditLogs/directoryAudits`, `/directory/deletedItems`. */
export function tenantRoutes(deps: ApiDeps): AnyRoute[] {
  const { directory } = deps;
  const userEntity = entity(userSchema);
  return [
    getRoute({
      url: '/v1.0/me',
      roles: EVERYONE,
      response: userEntity,
      handler: async ({ principal }) => {
        if (principal.kind !== 'user')
          throw badRequest('/me request is only valid with delegated authentication flow.');
        return {
          '@odata.context': contextUrl(deps, 'users/$entity'),
          ...(await directory.users.get(principal.id)),
        };
      },
    }),
    getRoute({
      url: '/v1.0/organization',
      roles: EVERYONE,
      response: collection(organizationSchema),
      handler: async () => {
        const org = await directory.organization();
        return { '@odata.context': contextUrl(deps, 'organization'), value: org ? [org] : [] };
      },
    }),
    getRoute({
      url: '/v1.0/subscribedSkus',
      roles: USER_ADMINS,
      response: collection(subscribedSkuSchema),
      handler: async () => ({
        '@odata.context': contextUrl(deps, 'subscribedSkus'),
        value: await directory.licenses.listSkus(),
      }),
    }),
    getRoute({
      url: '/v1.0/auditLogs/directoryAudits',
      roles: GLOBAL_ADMIN,
      response: collection(directoryAuditSchema),
      handler: ({ request }) =>
        listCollection(deps, request, {
          map: AUDIT_PROPERTIES,
          query: directory.audit.query(),
          hydrate: (rows) => rows.map(toDirectoryAudit),
          context: 'auditLogs/directoryAudits',
          defaultOrder: [
            {
              property: 'activityDateTime',
              column: 'directory_audits.activity_date_time',
              type: 'datetime',
              caseInsensitive: false,
              direction: 'desc',
            },
          ],
        }),
    }),
    getRoute({
      url: '/v1.0/directory/deletedItems/microsoft.graph.user',
      roles: USER_ADMINS,
      response: collection(userSchema),
      handler: ({ request }) =>
        listCollection(deps, request, {
          map: USER_PROPERTIES,
          query: directory.deletedUsers.query(),
          hydrate: directory.users.hydrate,
          context: 'directory/deletedItems/microsoft.graph.user',
        }),
    }),
    getRoute({
      url: '/v1.0/directory/deletedItems/:id',
      roles: USER_ADMINS,
      params: idParams,
      response: userEntity,
      handler: async ({ params }) => ({
        '@odata.context': contextUrl(deps, 'directory/deletedItems/$entity'),
        ...(await directory.deletedUsers.get(params.id)),
      }),
    }),
    defineRoute({
      method: 'POST',
      url: '/v1.0/directory/deletedItems/:id/restore',
      roles: USER_ADMINS,
      params: idParams,
      body: noBody,
      response: userEntity,
      handler: async ({ params, principal }) => {
        await assertMayManageUser(directory, principal, params.id);
        return {
          '@odata.context': contextUrl(deps, 'directoryObjects/$entity'),
          ...(await directory.deletedUsers.restore(actorOf(principal), params.id)),
        };
      },
    }),
    deleteRoute({
      url: '/v1.0/directory/deletedItems/:id',
      roles: USER_ADMINS,
      handler: async ({ params, principal }) => {
        await assertMayManageUser(directory, principal, params.id);
        if (params.id.includes('@')) throw notFound(params.id);
        await directory.deletedUsers.hardDelete(actorOf(principal), params.id);
      },
    }),
  ];
}
