import { z } from 'zod';
import { toContact } from '../directory/contacts/contact-directory.js';
import { actorOf, USER_ADMINS } from './access.js';
import { type ApiDeps, contextUrl, listCollection } from './api-context.js';
import { CONTACT_PROPERTIES } from './property-maps.js';
import { type AnyRoute, defineRoute, deleteRoute, getRoute } from './route.js';
import { collection, entity, idParams } from './schemas/common.js';
import { contactPatchBody, contactSchema, newContactBody } from './schemas/directory-objects.js';

/** `/v1.0/contacts` (organisational contacts). POST is a cloudsync addition: Graph has contacts come from sync only. */
export function contactRoutes(deps: ApiDeps): AnyRoute[] {
  const contacts = deps.directory.contacts;
  return [
    getRoute({
      url: '/v1.0/contacts',
      roles: USER_ADMINS,
      response: collection(contactSchema),
      handler: ({ request }) =>
        listCollection(deps, request, {
          map: CONTACT_PROPERTIES,
          query: contacts.query(),
          hydrate: (rows) => rows.map(toContact),
          context: 'contacts',
        }),
    }),
    defineRoute({
      method: 'POST',
      url: '/v1.0/contacts',
      roles: USER_ADMINS,
      params: z.object({}),
      body: newContactBody,
      response: entity(contactSchema),
      status: 201,
      handler: async ({ body, principal }) => ({
        '@odata.context': contextUrl(deps, 'contacts/$entity'),
        ...(await contacts.create(actorOf(principal), body)),
      }),
    }),
    getRoute({
      url: '/v1.0/contacts/:id',
      roles: USER_ADMINS,
      params: idParams,
      response: entity(contactSchema),
      handler: async ({ params }) => ({
        '@odata.context': contextUrl(deps, 'contacts/$entity'),
        ...(await contacts.get(params.id)),
      }),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/v1.0/contacts/:id',
      roles: USER_ADMINS,
      params: idParams,
      body: contactPatchBody,
      response: undefined,
      handler: async ({ params, body, principal }) => {
        await contacts.update(actorOf(principal), params.id, body);
      },
    }),
    deleteRoute({
      url: '/v1.0/contacts/:id',
      roles: USER_ADMINS,
      handler: async ({ params, principal }) => {
        await contacts.remove(actorOf(principal), params.id);
      },
    }),
  ];
}
