import { z } from 'zod';
import { actorOf, GLOBAL_ADMIN, USER_ADMINS } from './access.js';
import { type ApiDeps, contextUrl } from './api-context.js';
import { type AnyRoute, defineRoute, deleteRoute, getRoute } from './route.js';
import { collection, entity, idParams, noBody } from './schemas/common.js';
import { dnsRecordSchema, domainSchema, newDomainBody } from './schemas/directory-objects.js';

/** `/v1.0/domains`: User Administrators may read them (to pick UPN suffixes); only Global Administrators change them. */
export function domainRoutes(deps: ApiDeps): AnyRoute[] {
  const domains = deps.directory.domains;
  const one = (domain: z.input<typeof domainSchema>) => ({
    '@odata.context': contextUrl(deps, 'domains/$entity'),
    ...domain,
  });
  return [
    getRoute({
      url: '/v1.0/domains',
      roles: USER_ADMINS,
      response: collection(domainSchema),
      handler: async () => ({ '@odata.context': contextUrl(deps, 'domains'), value: await domains.list() }),
    }),
    defineRoute({
      method: 'POST',
      url: '/v1.0/domains',
      roles: GLOBAL_ADMIN,
      params: z.object({}),
      body: newDomainBody,
      response: entity(domainSchema),
      status: 201,
      handler: async ({ body, principal }) => one(await domains.add(actorOf(principal), body.id)),
    }),
    getRoute({
      url: '/v1.0/domains/:id',
      roles: USER_ADMINS,
      params: idParams,
      response: entity(domainSchema),
      handler: async ({ params }) => one(await domains.get(params.id)),
    }),
    deleteRoute({
      url: '/v1.0/domains/:id',
      roles: GLOBAL_ADMIN,
      handler: async ({ params, principal }) => {
        await domains.remove(actorOf(principal), params.id);
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1.0/domains/:id/verify',
      roles: GLOBAL_ADMIN,
      params: idParams,
      body: noBody,
      response: entity(domainSchema),
      handler: async ({ params, principal }) => one(await domains.verify(actorOf(principal), params.id)),
    }),
    getRoute({
      url: '/v1.0/domains/:id/verificationDnsRecords',
      roles: GLOBAL_ADMIN,
      params: idParams,
      response: collection(dnsRecordSchema),
      handler: async ({ params }) => ({
        '@odata.context': contextUrl(deps, `domains('${params.id}')/verificationDnsRecords`),
        value: await domains.verificationDnsRecords(params.id),
      }),
    }),
  ];
}
