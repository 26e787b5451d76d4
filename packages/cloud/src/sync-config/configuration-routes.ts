import { z } from 'zod';
import type { AdminAudit } from '../agents/admin-audit.js';
import type { JobQueue } from '../agents/jobs.js';
import { GLOBAL_ADMIN } from '../api/access.js';
import { type AnyRoute, defineRoute } from '../api/route.js';
import { collection, entity, idParams, noBody } from '../api/schemas/common.js';
import type { Principal } from '../auth/principal.js';
import { readOnlyProperty } from '../errors.js';
import { assertConfigurationRuns } from './configuration-checks.js';
import {
  configurationPatchBody,
  configurationSchema,
  newConfigurationBody,
  provisionOnDemandBody,
  provisionOnDemandSchema,
} from './configuration-schemas.js';
import type { ConfigurationView, SyncConfigurations } from './configuration-store.js';
import type { ProvisionOnDemand } from './provision-on-demand.js';

export interface ConfigurationRouteDeps {
  configurations: SyncConfigurations;
  provisionOnDemand: ProvisionOnDemand;
  jobs: JobQueue;
  audit: AdminAudit;
  publicUrl: string;
  /** After a restart request: lifts the configuration's quarantine at once. */
  onRestart?: (configurationId: string) => Promise<void>;
}

const BASE = '/v1.0/cloudsync/configurations';
const runParams = z.object({ id: idParams.shape.id, runId: z.string().min(1).max(64) });

/**
 * `/v1.0/cloudsync/configurations`: CRUD, enable/disable, restart, provision on demand. Every change
 * bumps `version`, which agents see in their next heartbeat. Global Administrators only (cloudsync
 * has no Hybrid Identity Administrator role yet).
 */
export function configurationRoutes(deps: ConfigurationRouteDeps): AnyRoute[] {
  const { configurations } = deps;
  const audited = async (
    principal: Principal,
    view: ConfigurationView,
    activity: string,
    operationType: 'Add' | 'Update' | 'Delete',
    changed: readonly string[] = [],
  ) => {
    await deps.audit(principal, {
      activity,
      operationType,
      target: { id: view.id, type: 'SyncConfiguration', name: view.domain.dnsName },
      // Names only: values can be long (mappings) and the log is not the configuration's history.
      modifiedProperties: changed.map((displayName) => ({ displayName, oldValue: null, newValue: null })),
    });
    return view;
  };
  const context = (path: string) => `${deps.publicUrl}/v1.0/$metadata#${path}`;
  const one = (view: ConfigurationView) => ({
    '@odata.context': context('cloudsync/configurations/$entity'),
    ...view,
  });
  const toggle = (action: 'enable' | 'disable') =>
    defineRoute({
      method: 'POST',
      url: `${BASE}/:id/${action}`,
      roles: GLOBAL_ADMIN,
      params: idParams,
      body: noBody,
      response: entity(configurationSchema),
      handler: async ({ params, principal }) => {
        const view = await configurations.update(params.id, { enabled: action === 'enable' });
        const activity = `${action === 'enable' ? 'Enable' : 'Disable'} sync configuration`;
        return one(await audited(principal, view, activity, 'Update', ['enabled']));
      },
    });
  return [
    defineRoute({
      method: 'GET',
      url: BASE,
      roles: GLOBAL_ADMIN,
      params: z.object({}),
      body: z.undefined(),
      response: collection(configurationSchema),
      handler: async () => ({
        '@odata.context': context('cloudsync/configurations'),
        value: await configurations.list(),
      }),
    }),
    defineRoute({
      method: 'POST',
      url: BASE,
      roles: GLOBAL_ADMIN,
      params: z.object({}),
      body: newConfigurationBody,
      response: entity(configurationSchema),
      status: 201,
      handler: async ({ body, principal }) => {
        assertConfigurationRuns(body);
        return one(
          await audited(principal, await configurations.create(body), 'Add sync configuration', 'Add'),
        );
      },
    }),
    defineRoute({
      method: 'GET',
      url: `${BASE}/:id`,
      roles: GLOBAL_ADMIN,
      params: idParams,
      body: z.undefined(),
      response: entity(configurationSchema),
      handler: async ({ params }) => one(await configurations.get(params.id)),
    }),
    defineRoute({
      method: 'PATCH',
      url: `${BASE}/:id`,
      roles: GLOBAL_ADMIN,
      params: idParams,
      body: configurationPatchBody,
      response: entity(configurationSchema),
      handler: async ({ params, body, principal }) => {
        const { domain, ...patch } = body;
        if (domain !== undefined) throw readOnlyProperty('domain');
        assertConfigurationRuns(patch);
        const view = await configurations.update(params.id, patch);
        return one(await audited(principal, view, 'Update sync configuration', 'Update', Object.keys(patch)));
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: `${BASE}/:id`,
      roles: GLOBAL_ADMIN,
      params: idParams,
      body: noBody,
      response: undefined,
      handler: async ({ params, principal }) => {
        const view = await configurations.get(params.id);
        await configurations.remove(params.id);
        await deps.jobs.cancelForConfiguration(params.id);
        await audited(principal, view, 'Delete sync configuration', 'Delete');
      },
    }),
    toggle('enable'),
    toggle('disable'),
    defineRoute({
      method: 'POST',
      url: `${BASE}/:id/restart`,
      roles: GLOBAL_ADMIN,
      params: idParams,
      body: noBody,
      response: undefined,
      handler: async ({ params, principal }) => {
        const view = await configurations.requestRestart(params.id);
        await deps.onRestart?.(params.id);
        await audited(principal, view, 'Restart sync configuration', 'Update');
      },
    }),
    defineRoute({
      method: 'POST',
      url: `${BASE}/:id/provisionOnDemand`,
      roles: GLOBAL_ADMIN,
      params: idParams,
      body: provisionOnDemandBody,
      response: provisionOnDemandSchema,
      status: 202,
      handler: async ({ params, body }) =>
        deps.provisionOnDemand.start(params.id, body.distinguishedName, (body.waitSeconds ?? 0) * 1000),
    }),
    defineRoute({
      method: 'GET',
      url: `${BASE}/:id/provisionOnDemand/:runId`,
      roles: GLOBAL_ADMIN,
      params: runParams,
      body: z.undefined(),
      response: provisionOnDemandSchema,
      handler: async ({ params }) => deps.provisionOnDemand.get(params.id, params.runId),
    }),
  ];
}
